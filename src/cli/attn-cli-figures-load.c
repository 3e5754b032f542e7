/* attn-cli-figures-load.c: attnflow-cli loads its figure commands' module
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <gmodule.h>
#include <string.h>

#include "attn-cli-figures.h"

const AttnCliFigures *
attn_cli_figures (GError **error)
{
  static const AttnCliFigures *figures;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  AttnCliFiguresEntry entry = NULL;
  const AttnCliFigures *found;
  GModule *module;

  if (figures != NULL)
    return figures;

  dir = attn_install_get_module_dir ();
  path = g_build_filename (dir, ATTN_CLI_FIGURES_MODULE "." G_MODULE_SUFFIX, NULL);
  module = g_module_open (path, G_MODULE_BIND_LOCAL);
  if (module == NULL)
    {
      const char *reason = g_module_error ();
      gsize length = strlen (path);

      /* the system's reason names the file first: once is enough */
      if (strncmp (reason, path, length) == 0 && reason[length] == ':')
        reason += length + 1 + (reason[length + 1] == ' ');
      /* translators: the path of a file and the system's reason */
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_IO,
                   _("Cannot load the figure module “%s”, which drawing needs: %s"),
                   path, reason);
      return NULL;
    }
  if (!g_module_symbol (module, ATTN_CLI_FIGURES_ENTRY, (gpointer *) &entry) || entry == NULL ||
      (found = entry ()) == NULL || found->size != sizeof (AttnCliFigures) ||
      g_strcmp0 (found->version, PACKAGE_VERSION) != 0)
    {
      /* translators: the path of a file, then a version number */
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_IO,
                   _("“%s” is not the figure module of attnflow-cli %s: reinstall attnflow"),
                   path, PACKAGE_VERSION);
      g_module_close (module);
      return NULL;
    }
  g_module_make_resident (module);
  figures = found;
  return figures;
}
