// Device status (GB/T 28181): the devices of a unit's schools that the ledger lists with a
// 20-digit national id, whether each is online, and the networked rate (在线联网率) per unit.
import { http, type PageQuery, type Paged } from './http';
import type { OrgLevel } from './org';

export const kDeviceKinds = ['alarm', 'camera', 'nvr'] as const;
export type DeviceKind = (typeof kDeviceKinds)[number];

export const kDeviceStatuses = ['online', 'offline', 'unknown'] as const;
/** `unknown`: nothing heard from the device since the server started. */
export type DeviceStatus = (typeof kDeviceStatuses)[number];

export interface Device {
  /** The 20-digit GB/T 28181 device ID. */
  national_id: string;
  school_code: string;
  kind: DeviceKind;
  name: string;
  location: string;
  status: DeviceStatus;
  /** RFC 3339: since when the status holds. */
  status_since: string;
  last_seen: string | null;
  registered_until: string | null;
  /** `udp` or `tcp`, once registered. */
  transport: string | null;
  address: string | null;
  /** Channels the device's catalog listed; null before a catalog. */
  channels: number | null;
  /** Channels the ledger says the device has (an NVR's cameras). */
  expected_channels: number;
}

/** online / expected; rate is null when nothing is expected. */
export interface NetworkPart {
  expected: number;
  online: number;
  rate: number | null;
}

export interface NetworkFigures extends NetworkPart {
  org: { code: string; name: string; level: OrgLevel };
  offline: number;
  unknown: number;
  /** One-click alarm devices (一键报警). */
  alarm: NetworkPart;
  /** Cameras and NVRs. */
  video: NetworkPart;
}

export interface Networking {
  unit: NetworkFigures;
  children: NetworkFigures[];
}

export interface DeviceQuery extends PageQuery {
  org: string;
  status?: DeviceStatus | '';
}

/** Devices of `org`'s schools, with their status. */
export function listDevices(query: DeviceQuery): Promise<Paged<Device>> {
  return http.get<Paged<Device>>('/devices', { ...query });
}

/** The networked rate of `org` and of each of its child units. */
export function getNetworking(org: string): Promise<Networking> {
  return http.get<Networking>('/device-networking', { org });
}
