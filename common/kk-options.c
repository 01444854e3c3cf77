/* kk-options.c — see kk-commands.h (kk_options_parse) */
#include "kk-commands.h"

#include <string.h>

gboolean kk_options_parse(GOptionContext *context, int *argc, char ***argv, GError **error)
{
  if (!g_option_context_parse(context, argc, argv, error))
    return FALSE;
  /* GOption stops at "--" but leaves it among the arguments (unless a
   * command takes G_OPTION_REMAINING): take it out, so `-- -x.pdf` names
   * the file -x.pdf in every command. */
  for (int i = 1; i < *argc; i++) {
    if (strcmp((*argv)[i], "--") == 0) {
      memmove(&(*argv)[i], &(*argv)[i + 1], sizeof(char *) * (size_t)(*argc - i));
      (*argc)--;
      break;
    }
  }
  return TRUE;
}
