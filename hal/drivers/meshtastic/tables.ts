// Meshtastic numbers takd needs by name: port numbers (spec §1.5) and the ATAK plugin's
// Team/MemberRole enums mapped to CoT `__group` names (§1.6: underscore → space).

export const PORT = {
  TEXT_MESSAGE_APP: 1,
  POSITION_APP: 3,
  NODEINFO_APP: 4,
  ROUTING_APP: 5,
  TELEMETRY_APP: 67,
  ATAK_PLUGIN: 72,
  ATAK_PLUGIN_V2: 78,
  ATAK_FORWARDER: 257,
} as const;

export const BROADCAST = 0xffffffff;

/** Team enum value → CoT team colour ('' for Unspecifed_Color). */
export const TEAMS = ['', 'White', 'Yellow', 'Orange', 'Magenta', 'Red', 'Maroon', 'Purple', 'Dark Blue', 'Blue', 'Cyan', 'Teal', 'Green', 'Dark Green', 'Brown'];

/** MemberRole enum value → CoT role ('' for Unspecifed). */
export const ROLES = ['', 'Team Member', 'Team Lead', 'HQ', 'Sniper', 'Medic', 'Forward Observer', 'RTO', 'K9'];

export function teamName(value: number | undefined): string {
  return TEAMS[value ?? 0] || 'Cyan';
}

export function roleName(value: number | undefined): string {
  return ROLES[value ?? 0] || 'Team Member';
}

export function teamValue(name: string | undefined): number {
  const index = TEAMS.indexOf(name ?? '');
  return index > 0 ? index : 10; // Cyan, ATAK's default
}

export function roleValue(name: string | undefined): number {
  const index = ROLES.indexOf(name ?? '');
  return index > 0 ? index : 1; // Team Member
}

/** Node number → `!` + 8 lower-case hex digits. */
export function nodeId(num: number): string {
  return `!${(num >>> 0).toString(16).padStart(8, '0')}`;
}
