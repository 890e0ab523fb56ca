/**
 * How a change to an account or a customer applies to what is stored, and which fields it really changed
 * (so that an upsert that changes nothing writes no event). Pure: the service locks, patches, saves.
 *
 * Semantics, the same for GraphQL upserts and webhooks: a field left undefined is kept; scalar fields and
 * lists (feature flags, segments) are replaced; usage counters and attributes are merged key by key, and an
 * attribute set to null is removed.
 */
import { badInput } from '../../shared/errors';
import { BillingState } from './customer.types';
import { Attributes, AttributesPatch, PROFILE_LIMITS, UsageCounters, normalizeLabels } from './profile-fields';

export interface AccountProfile {
  name: string;
  plan: string;
  billingState: BillingState;
  seats: number;
  signedUpAt: Date | null;
  onboardedAt: Date | null;
  usage: UsageCounters;
  featureFlags: string[];
  segments: string[];
  attributes: Attributes;
}

export interface AccountPatch {
  name?: string;
  plan?: string;
  billingState?: BillingState;
  seats?: number;
  signedUpAt?: Date | null;
  onboardedAt?: Date | null;
  usage?: UsageCounters;
  featureFlags?: string[];
  segments?: string[];
  attributes?: AttributesPatch;
}

export interface CustomerProfile {
  email: string | null;
  name: string | null;
  accountId: string | null;
  attributes: Attributes;
}

export interface CustomerPatch {
  email?: string;
  name?: string;
  accountId?: string;
  attributes?: AttributesPatch;
}

export interface Patched<T> {
  next: T;
  changed: Array<keyof T & string>;
}

export const EMPTY_ACCOUNT_PROFILE: Omit<AccountProfile, 'name'> = {
  plan: 'free',
  billingState: BillingState.ACTIVE,
  seats: 1,
  signedUpAt: null,
  onboardedAt: null,
  usage: {},
  featureFlags: [],
  segments: [],
  attributes: {},
};

export function patchAccount(current: AccountProfile, patch: AccountPatch): Patched<AccountProfile> {
  const next: AccountProfile = {
    name: patch.name ?? current.name,
    plan: patch.plan ?? current.plan,
    billingState: patch.billingState ?? current.billingState,
    seats: patch.seats ?? current.seats,
    signedUpAt: patch.signedUpAt === undefined ? current.signedUpAt : patch.signedUpAt,
    onboardedAt: patch.onboardedAt === undefined ? current.onboardedAt : patch.onboardedAt,
    usage: patch.usage ? { ...current.usage, ...patch.usage } : current.usage,
    featureFlags: patch.featureFlags ? normalizeLabels(patch.featureFlags) : current.featureFlags,
    segments: patch.segments ? normalizeLabels(patch.segments) : current.segments,
    attributes: patch.attributes ? mergeAttributes(current.attributes, patch.attributes) : current.attributes,
  };
  if (Object.keys(next.usage).length > PROFILE_LIMITS.storedKeys) {
    throw badInput(`An account may hold at most ${PROFILE_LIMITS.storedKeys} usage counters; this change would leave ${Object.keys(next.usage).length}`);
  }
  return { next, changed: changedFields(current, next) };
}

export function patchCustomer(current: CustomerProfile, patch: CustomerPatch): Patched<CustomerProfile> {
  const next: CustomerProfile = {
    email: patch.email ?? current.email,
    name: patch.name ?? current.name,
    accountId: patch.accountId ?? current.accountId,
    attributes: patch.attributes ? mergeAttributes(current.attributes, patch.attributes) : current.attributes,
  };
  return { next, changed: changedFields(current, next) };
}

function mergeAttributes(current: Attributes, patch: AttributesPatch): Attributes {
  const merged: Attributes = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  const count = Object.keys(merged).length;
  if (count > PROFILE_LIMITS.storedKeys) {
    throw badInput(`A record may hold at most ${PROFILE_LIMITS.storedKeys} attributes; this change would leave ${count}. Remove some by setting them to null.`);
  }
  return merged;
}

function changedFields<T extends object>(current: T, next: T): Array<keyof T & string> {
  return (Object.keys(next) as Array<keyof T & string>).filter((key) => !sameValue(current[key], next[key]));
}

/** Deep equality for what profiles hold: scalars, dates, lists and flat maps (key order ignored, as jsonb does). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((entry, i) => sameValue(entry, b[i]));
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const aKeys = Object.keys(a);
    const bRecord = b as Record<string, unknown>;
    return aKeys.length === Object.keys(b).length && aKeys.every((key) => key in bRecord && sameValue((a as Record<string, unknown>)[key], bRecord[key]));
  }
  return a === b;
}
