/* attn-error.c: the ATTN_ERROR domain, and how messages name an example
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "attn-error.h"

G_DEFINE_QUARK (attn-error-quark, attn_error)

/**
 * attn_error_shorten_name:
 * @name: an example's id (or index) as a message names it
 *
 * An id is any string a file holds: one of 100,000 characters made the
 * loader's message as long, and the window's Details dialog froze for
 * minutes laying it out.
 *
 * Returns: (transfer full): @name, or its first %ATTN_ERROR_NAME_MAX_CHARS
 *   characters and “…” when it is longer
 */
char *
attn_error_shorten_name (const char *name)
{
  const char *end;

  g_return_val_if_fail (name != NULL, NULL);

  if (g_utf8_strlen (name, -1) <= ATTN_ERROR_NAME_MAX_CHARS)
    return g_strdup (name);
  end = g_utf8_offset_to_pointer (name, ATTN_ERROR_NAME_MAX_CHARS);
  return g_strdup_printf ("%.*s…", (int) (end - name), name);
}

/**
 * attn_error_example_name:
 * @id: (nullable): the example's id; empty is none, as the loader reads it
 * @index: its 0-based index in the file, as `--example` takes it
 *
 * How the loader's messages name an example, after “Example ”: its id,
 * shortened (attn_error_shorten_name()) and quoted (“cat-mat”), else its
 * index and that it has none (0 (no id)): the index alone, quoted, read as an
 * id the file does not have.
 *
 * Returns: (transfer full): the name
 */
char *
attn_error_example_name (const char *id,
                         guint       index)
{
  g_autofree char *shortened = NULL;

  /* an empty id is no id, as the loader reads it */
  if (id == NULL || id[0] == '\0')
    /* translators: how a message names an example without an id, after “Example ”: its
     * 0-based index, as --example takes it */
    return g_strdup_printf (_("%u (no id)"), index);
  shortened = attn_error_shorten_name (id);
  /* translators: how a message names an example by its id, after “Example ” */
  return g_strdup_printf (_("“%s”"), shortened);
}
