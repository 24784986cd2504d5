/**
 * An orchestrator that manages algd devices the way an OpenDaylight controller manages any NETCONF device:
 * lighty.io's NETCONF southbound mounts each device, and everything here reads and writes through the mount.
 * It depends on lighty.io and OpenDaylight only, never on algd's code: the device's YANG comes over NETCONF.
 */
package dev.algd.orchestrator;
