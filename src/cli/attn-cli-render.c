/* attn-cli-render.c: `attnflow-cli render` (placeholder until the renderer lands)
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The `render` branch replaces this file wholesale.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "attn-cli.h"

int
attn_cli_render (int    argc,
                 char **argv)
{
  g_printerr ("%s\n", _("render: not available yet"));
  return ATTN_CLI_EXIT_USAGE;
}
