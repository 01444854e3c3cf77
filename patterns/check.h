/*
 * check.h — `keikaku patterns check DIR [PAGES.jsonl…]`: lints a pattern
 * directory against documents (patterns/check.c).
 */
#ifndef KK_CHECK_H
#define KK_CHECK_H

/* The subcommand; argv[0] is "check".  Returns the exit status. */
int kp_cmd_check(int argc, char **argv);

#endif
