/*
 * crash.h - named crash points for the fault tests: with
 * SWS_CRASH_AT=NAME in the environment, the process kills itself with
 * SIGKILL when it reaches sws_crash_point("NAME") (with SWS_CRASH_AT=NAME:N,
 * the Nth time). Without the variable the call costs one getenv. The sync
 * code marks the moments where a power cut or a killed process must not
 * lose or double anything (docs/sync-protocol.md lists them).
 */
#ifndef SWS_CORE_CRASH_H
#define SWS_CORE_CRASH_H

void sws_crash_point(const char *zName);

#endif
