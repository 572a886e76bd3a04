// The spec's APRS example packets (radios.md §2.11) as (destination, source, info), for
// tests and the benchmark. Sources: aprslib docs, Dire Wolf decode_aprs.c, APRS101.
export const SPEC_PACKETS: readonly [string, string, string][] = [
  ['TOCALL', 'FROMCALL', '!4903.50N/07201.75W-Test /A=001234'],
  ['TOCALL', 'FROMCALL', '/092345z4903.50N/07201.75W>Test1234'],
  ['TOCALL', 'FROMCALL', ';LEADER   *092345z4903.50N/07201.75W>088/036'],
  ['APRS', 'N0CALL', '!4309.95NS07307.13W#PHG3320 W2,NY2 Mt Equinox VT k2lm@arrl.net'],
  ['APRS', 'N0CALL', '=/5L!!<*e7_7P[g005t077r000p000P000h50b09900wRSW'],
  ['APRS64', 'M0XER-4', '!/.(M4I^C,O `DXa/A=040849|#B>@"v90!+|'],
  ['SUSUR1', 'FROMCALL', '`CF"l#![/`"3z}_ '],
  ['TRSW1R', 'WB2OSZ', '`c0ol!O[/>=\r'],
  ['SUUP9Q', 'KJ4ETP-9', '`oV$n6:>/]"7&}162.475MHz <Knox,TN> clintserman@gmail='],
  ['APRS', 'N0CALL', '!4903.5 N/07201.7 W-'],
  ['APRS', 'N0CALL', ')AID #2!4903.50N/07201.75WA'],
];
