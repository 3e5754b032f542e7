/* attn-cli-validate.c: `attnflow-cli validate FILE`
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "attn-cli.h"

int
attn_cli_validate (int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(AttnDocument) document = NULL;
  g_autofree char *display = NULL;
  g_autoptr(GString) out = NULL;
  g_autoptr(GError) error = NULL;
  int status;
  guint n;

  context = attn_cli_option_context_new ("FILE",
                                         _("Exits with 0 if FILE is a valid attention export, "
                                           "else with 1 and the error on stderr. Warnings go "
                                           "to stderr, one per line."),
                                         NULL);
  document = attn_cli_load_single_file (context, "validate", &argc, &argv, &status);
  if (document == NULL)
    return status;

  display = attn_error_display_path (argv[1]);
  n = attn_document_get_n_examples (document);
  out = g_string_new (NULL);
  /* translators: %s is a file name */
  g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%s: valid, %u example\n",
                                            "%s: valid, %u examples\n", n),
                          display, n);
  if (!attn_cli_write_stdout (out, &error))
    return attn_cli_fail ("validate", error);
  return ATTN_CLI_EXIT_OK;
}
