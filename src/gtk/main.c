/* main.c: attnflow, the application
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#include "attn-application.h"
#include "attn-core.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AttnApplication) app = NULL;
  g_autoptr(GError) error = NULL;

  attn_install_init_i18n ();
  g_set_application_name (_("Attention Flow"));
  if (!attn_application_check_schema (&error))
    {
      g_printerr ("attnflow: %s\n", error->message);
      return EXIT_FAILURE;
    }
  app = attn_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
