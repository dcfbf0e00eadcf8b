import type { OciDevice, OciDeviceRule, OciMount, OciRlimit } from './oci-types.js';

// Docker's defaults for every container (moby's oci/defaults.go and the
// daemon's additions), so a gantry container looks like a docker one from
// the inside.

export const DEFAULT_CAPABILITIES: readonly string[] = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FSETID',
  'CAP_FOWNER',
  'CAP_MKNOD',
  'CAP_NET_RAW',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETFCAP',
  'CAP_SETPCAP',
  'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT',
  'CAP_KILL',
  'CAP_AUDIT_WRITE',
];

/** Kernel paths that leak host information or allow host-wide effects: hidden. */
export const DEFAULT_MASKED_PATHS: readonly string[] = [
  '/proc/asound',
  '/proc/acpi',
  '/proc/interrupts',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/sys/firmware',
  '/sys/devices/virtual/powercap',
];

export const DEFAULT_READONLY_PATHS: readonly string[] = [
  '/proc/bus',
  '/proc/fs',
  '/proc/irq',
  '/proc/sys',
  '/proc/sysrq-trigger',
];

export const DEFAULT_SHM_SIZE = 64 * 1024 * 1024;

export const DEFAULT_NOFILE = 1048576;

export function defaultMounts(options: { shmSize?: number; privileged?: boolean }): OciMount[] {
  const shmSize = options.shmSize && options.shmSize > 0 ? options.shmSize : DEFAULT_SHM_SIZE;
  // A privileged container may administer the host's sysfs and cgroups.
  const sysAccess = options.privileged ? 'rw' : 'ro';
  return [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    {
      destination: '/dev/pts',
      type: 'devpts',
      source: 'devpts',
      options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'],
    },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', sysAccess] },
    { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: [sysAccess, 'nosuid', 'noexec', 'nodev'] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    {
      destination: '/dev/shm',
      type: 'tmpfs',
      source: 'shm',
      options: ['nosuid', 'noexec', 'nodev', 'mode=1777', `size=${shmSize}`],
    },
  ];
}

const charDevice = (path: string, major: number, minor: number): OciDevice => ({
  type: 'c',
  path,
  major,
  minor,
  fileMode: 0o666,
  uid: 0,
  gid: 0,
});

export const DEFAULT_DEVICES: readonly OciDevice[] = [
  charDevice('/dev/null', 1, 3),
  charDevice('/dev/zero', 1, 5),
  charDevice('/dev/full', 1, 7),
  charDevice('/dev/random', 1, 8),
  charDevice('/dev/urandom', 1, 9),
  charDevice('/dev/tty', 5, 0),
];

const allowChar = (major: number | undefined, minor: number | undefined, access = 'rwm'): OciDeviceRule => ({
  allow: true,
  type: 'c',
  ...(major === undefined ? {} : { major }),
  ...(minor === undefined ? {} : { minor }),
  access,
});

/** Deny everything, then allow the default devices, ptys and mknod of anything. */
export const DEFAULT_DEVICE_RULES: readonly OciDeviceRule[] = [
  { allow: false, access: 'rwm' },
  allowChar(undefined, undefined, 'm'),
  { allow: true, type: 'b', access: 'm' },
  allowChar(1, 3),
  allowChar(1, 5),
  allowChar(1, 7),
  allowChar(1, 8),
  allowChar(1, 9),
  allowChar(5, 0),
  allowChar(5, 1),
  allowChar(5, 2),
  allowChar(136, undefined),
  allowChar(10, 200),
];

export const PRIVILEGED_DEVICE_RULES: readonly OciDeviceRule[] = [{ allow: true, access: 'rwm' }];

export const DEFAULT_RLIMITS: readonly OciRlimit[] = [
  { type: 'RLIMIT_NOFILE', soft: DEFAULT_NOFILE, hard: DEFAULT_NOFILE },
];
