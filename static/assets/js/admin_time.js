// Palabre — wall-clock times in a debate's time zone, for the back-office's
// <input type="datetime-local"> fields (which have no zone of their own).
//
// An organiser in Paris preparing a debate for Cayenne types "19:00" and
// means 19:00 in Cayenne: the inputs show and read times in the debate's
// zone (`time_zone` of the event, else the site's), not the browser's.
// Intl knows every zone's offsets; nothing else is needed.

const pad = (n) => String(n).padStart(2, '0');

function partsIn(zone, ms) {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit',
  });
  const out = {};
  for (const p of fmt.formatToParts(new Date(ms))) out[p.type] = Number(p.value);
  return out;
}

/** The zone's offset from UTC at that instant, in ms (Paris in winter: 3,600,000). */
export function offsetMs(zone, ms) {
  const p = partsIn(zone, ms);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** True when Intl knows the zone. */
export function isZone(zone) {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch (_) {
    return false;
  }
}

/** "2026-11-23T18:00:00Z" → "2026-11-23T19:00" as the wall clock of `zone` reads. */
export function toZonedInput(iso, zone) {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const p = partsIn(zone, ms);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/**
 * "2026-11-23T19:00" read on the wall clock of `zone` → RFC 3339 UTC, or
 * null. Around a change of offset the second guess settles it; a time that
 * does not exist (the hour skipped in spring) moves forward by the gap.
 */
export function fromZonedInput(value, zone) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value || '');
  if (!m) return null;
  const guess = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  if (Number.isNaN(guess)) return null;
  let ms = guess - offsetMs(zone, guess);
  const second = offsetMs(zone, ms);
  if (guess - second !== ms) ms = guess - second;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Zones to offer: the browser's list when it has one, else a short list. */
export function zoneList() {
  if (typeof Intl.supportedValuesOf === 'function') {
    try {
      return Intl.supportedValuesOf('timeZone');
    } catch (_) {
      // Fall through.
    }
  }
  return ['Europe/Paris', 'Europe/Berlin', 'Europe/Brussels', 'Europe/Madrid', 'Europe/Rome', 'Europe/Warsaw',
    'Europe/Lisbon', 'Europe/London', 'America/Cayenne', 'America/Guadeloupe', 'America/Martinique',
    'Indian/Reunion', 'Indian/Mayotte', 'Pacific/Noumea', 'Pacific/Tahiti', 'UTC'];
}
