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
  g_autoptr(GError) error = NULL;
  g_autofree char *display = NULL;
  guint n;

  context = attn_cli_option_context_new ("FILE",
                                         _("Exits with 0 if FILE is a valid attention export, "
                                           "else with 1 and the error on stderr. Warnings go "
                                           "to stderr, one per line."),
                                         NULL);
  if (!attn_cli_parse_options (context, "validate", &argc, &argv))
    return ATTN_CLI_EXIT_USAGE;
  if (argc != 2)
    return attn_cli_usage_error ("validate", "%s", _("Expected exactly one FILE"));

  document = attn_cli_load ("validate", argv[1], &error);
  if (document == NULL)
    return attn_cli_fail ("validate", error);

  display = attn_cli_escape_text (argv[1]);
  n = attn_document_get_n_examples (document);
  /* translators: %s is a file name */
  g_print (g_dngettext (GETTEXT_PACKAGE, "%s: valid, %u example\n", "%s: valid, %u examples\n", n),
           display, n);
  return ATTN_CLI_EXIT_OK;
}
