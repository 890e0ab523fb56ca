/**
 * Product areas: the words that tie a bug to the part of the product a customer is looking at.
 *
 * The rule, kept simple on purpose so a workspace can predict it:
 * - a bug's areas come from its tracker labels written `area:<name>` (or `area/<name>`);
 * - a page's areas are the segments of its path (`/settings/billing/invoices/42` → settings, billing,
 *   invoices). A full URL counts by its path; a hash route (`/#/billing`) by the route. Segments holding a
 *   digit are ids, not areas, and are skipped;
 * - both sides are normalised alike (lower case, spaces and underscores as "-"), and a bug affects a page
 *   when they share an area.
 */

const MAX_PAGE_AREAS = 10;
const AREA_LABEL = /^area[:/]\s*(.+)$/i;

export function normalizeProductArea(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** The product areas named by a bug's labels; labels without the `area:` prefix are not areas. */
export function productAreasOfLabels(labels: readonly string[]): string[] {
  const areas = labels.map((label) => AREA_LABEL.exec(label.trim())?.[1]).filter((area): area is string => area !== undefined);
  return [...new Set(areas.map(normalizeProductArea).filter((area) => area.length > 0))];
}

function pathOf(page: string): string {
  let path = page.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
    try {
      const url = new URL(path);
      path = url.hash.startsWith('#/') ? url.hash.slice(1) : url.pathname;
    } catch {
      return '';
    }
  } else {
    const hash = path.indexOf('#');
    if (hash >= 0) path = path.slice(hash + 1).startsWith('/') ? path.slice(hash + 1) : path.slice(0, hash);
  }
  return path.split('?')[0] ?? '';
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function productAreasOfPage(page: string | null | undefined): string[] {
  if (!page) return [];
  const segments = pathOf(page)
    .split('/')
    .map((segment) => normalizeProductArea(decodeSegment(segment)))
    .filter((segment) => segment.length > 0 && !/\d/.test(segment));
  return [...new Set(segments)].slice(0, MAX_PAGE_AREAS);
}
