/* placeholder replaced below */
#include "common/kk-commands.h"
int kk_cmd_diff(int argc, char **argv) { (void)argc; (void)argv; return 9; }
