/* attn-install.c: where the programs find their data and translations
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An installed program finds its files under its own prefix: the directory
 * two levels up from <prefix>/bin/attnflow, so a moved installation keeps
 * working; the configured prefix when the program's location is not known.
 * Run from the build tree (`meson devenv`), ATTNFLOW_DATADIR and
 * ATTNFLOW_LOCALEDIR name the source tree's data and the built translations;
 * a program run from where it was built finds its modules beside it.
 * No path of the source tree is compiled in.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>
#include <string.h>

#include "attn-install.h"

/* The folder of the running program, or NULL when it is not known */
static char *
program_dir (void)
{
  g_autofree char *program = g_file_read_link ("/proc/self/exe", NULL);

  return program != NULL ? g_path_get_dirname (program) : NULL;
}

/* The prefix of a program in @dir: <prefix>/<bindir>; NULL when @dir is not
 * a bindir (the program runs from where it was built) */
static char *
installed_prefix (const char *dir)
{
#ifdef BINDIR
  gsize length = strlen (dir), bindir_length = strlen (BINDIR);

  if (length > bindir_length && g_str_has_suffix (dir, BINDIR) &&
      G_IS_DIR_SEPARATOR (dir[length - bindir_length - 1]))
    return g_strndup (dir, length - bindir_length - 1);
#endif
  return NULL;
}

/* The prefix the running program is installed under */
static char *
find_prefix (void)
{
  g_autofree char *dir = program_dir ();
  char *prefix = dir != NULL ? installed_prefix (dir) : NULL;

  return prefix != NULL ? prefix : g_strdup (PREFIX);
}

/* $@variable when set and not empty, else @relative under the prefix */
static char *
find_dir (const char *variable,
          const char *relative)
{
  const char *value = g_getenv (variable);
  g_autofree char *prefix = NULL;

  if (value != NULL && *value != '\0')
    return g_strdup (value);
  if (g_path_is_absolute (relative))
    return g_strdup (relative);
  prefix = find_prefix ();
  return g_build_filename (prefix, relative, NULL);
}

/**
 * attn_install_get_data_dir:
 *
 * Returns: (transfer full): the directory of the bundled examples' folder
 *   `examples` and the icons: $ATTNFLOW_DATADIR, or <prefix>/share/attnflow
 */
char *
attn_install_get_data_dir (void)
{
  return find_dir ("ATTNFLOW_DATADIR", PKGDATADIR_RELATIVE);
}

/**
 * attn_install_get_locale_dir:
 *
 * Returns: (transfer full): the translations' directory:
 *   $ATTNFLOW_LOCALEDIR, or <prefix>/share/locale
 */
char *
attn_install_get_locale_dir (void)
{
  return find_dir ("ATTNFLOW_LOCALEDIR", LOCALEDIR_RELATIVE);
}

/**
 * attn_install_get_module_dir:
 *
 * Returns: (transfer full): the directory of the programs' modules:
 *   $ATTNFLOW_MODULEDIR; for a program run from where it was built (not
 *   from a bin folder), its own folder, where the modules are built beside
 *   it; else <prefix>/<libdir>/attnflow (the configured libdir)
 */
char *
attn_install_get_module_dir (void)
{
  const char *value = g_getenv ("ATTNFLOW_MODULEDIR");
  g_autofree char *dir = NULL;
  g_autofree char *prefix = NULL;

  /* run from the build tree: the modules are built beside the program */
  if ((value == NULL || *value == '\0') && (dir = program_dir ()) != NULL &&
      (prefix = installed_prefix (dir)) == NULL)
    return g_steal_pointer (&dir);
  return find_dir ("ATTNFLOW_MODULEDIR", MODULEDIR_RELATIVE);
}

/**
 * attn_install_init_i18n:
 *
 * Sets the locale from the environment and binds the programs' translations.
 */
void
attn_install_init_i18n (void)
{
  g_autofree char *locale_dir = attn_install_get_locale_dir ();

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, locale_dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
