import { canonicalTimeZone } from '../../services/shared/time-zone';

describe('canonicalTimeZone', () => {
  it('spells a zone as IANA does, whatever the letter case typed, and refuses what is not a zone', () => {
    const sut = canonicalTimeZone;
    expect(sut('europe/paris')).toBe('Europe/Paris');
    expect(sut('Europe/Paris')).toBe('Europe/Paris');
    expect(sut('AMERICA/SAO_PAULO')).toBe('America/Sao_Paulo');
    expect(sut('UTC')).toBe('UTC');
    expect(sut('Mars/Olympus_Mons')).toBeNull();
    expect(sut('')).toBeNull();
  });

  it('answers the same for a spelling asked again, also after more spellings than it remembers', () => {
    expect(canonicalTimeZone('asia/tokyo')).toBe('Asia/Tokyo');
    expect(canonicalTimeZone('not/a_zone')).toBeNull();
    // Letter-case variants of one zone: more than the remembered spellings, so the memory is cleared on the way.
    for (let i = 0; i < 1_500; i += 1) {
      const variant = [...'europe/berlin'].map((c, k) => ((i >> k) & 1 ? c.toUpperCase() : c)).join('');
      expect(canonicalTimeZone(variant)).toBe('Europe/Berlin');
    }
    expect(canonicalTimeZone('asia/tokyo')).toBe('Asia/Tokyo');
    expect(canonicalTimeZone('not/a_zone')).toBeNull();
  });
});
