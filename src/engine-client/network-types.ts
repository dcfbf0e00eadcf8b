// Networks in the Docker Engine API's own words (PascalCase fields).

import type { EndpointSettings, Labels } from './container-types.js';

export interface IpamConfig {
  Subnet?: string;
  IPRange?: string;
  Gateway?: string;
  AuxiliaryAddresses?: Record<string, string>;
}

export interface Ipam {
  Driver?: string;
  Config?: IpamConfig[];
  Options?: Record<string, string>;
}

export interface NetworkDetails {
  Name: string;
  Id: string;
  Created: string;
  Scope: string;
  Driver: string;
  EnableIPv6: boolean;
  IPAM: Ipam;
  Internal: boolean;
  Attachable: boolean;
  Ingress: boolean;
  /** Empty in list results; filled by inspect. */
  Containers?: Record<string, { Name: string; EndpointID: string; MacAddress: string; IPv4Address: string; IPv6Address: string }>;
  Options: Record<string, string>;
  Labels: Labels;
  [field: string]: unknown;
}

export interface CreateNetworkRequest {
  Name: string;
  Driver?: string;
  Internal?: boolean;
  Attachable?: boolean;
  Ingress?: boolean;
  IPAM?: Ipam;
  EnableIPv6?: boolean;
  Options?: Record<string, string>;
  Labels?: Labels;
  /** Refuse a second network of the same name (engines before API 1.44 allowed it). */
  CheckDuplicate?: boolean;
  [field: string]: unknown;
}

/** How a container joins a network: `Aliases`, `IPAMConfig.IPv4Address`, … */
export type EndpointRequest = Pick<EndpointSettings, 'Aliases' | 'IPAMConfig' | 'Links' | 'MacAddress' | 'DriverOpts'> & { [field: string]: unknown };
