/* cmd-normalize.c — placeholder until the stage lands; replaced by its owner. */
#include "common/kk-commands.h"
#include "common/kk-error.h"
#include <stdio.h>

int kk_cmd_normalize(int argc, char **argv)
{
  (void)argc; (void)argv;
  fprintf(stderr, "keikaku: normalize: not implemented yet\n");
  return KK_ERROR_INTERNAL;
}
