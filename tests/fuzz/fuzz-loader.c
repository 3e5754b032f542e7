/* fuzz-loader.c: libFuzzer target for the attention export loader
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Feeds every input to attn_document_load_from_data() with a folder holding a
 * few valid .npy files, so inputs that name them reach the .npy reader too.
 * Built with -Dfuzzing=true by build-aux/fuzz.sh.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "attn-core.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static char *folder;

/* A .npy v1.0 file of float32 @shape filled with 1/n. */
static void
write_npy (const char  *name,
           const char  *shape_text,
           gsize        count,
           guint        n)
{
  g_autoptr(GString) file = g_string_new ("\x93NUMPY\x01");
  g_autofree char *header = g_strdup_printf ("{'descr': '<f4', 'fortran_order': False, "
                                             "'shape': %s, }", shape_text);
  g_autofree char *path = g_build_filename (folder, name, NULL);
  gsize header_length = strlen (header);
  gsize padded = ((10 + header_length + 1 + 63) / 64) * 64 - 10;
  float value = 1.f / (float) n;

  g_string_append_c (file, '\0');
  g_string_append_c (file, (char) (padded & 0xff));
  g_string_append_c (file, (char) (padded >> 8));
  g_string_append (file, header);
  while (file->len < 10 + padded - 1)
    g_string_append_c (file, ' ');
  g_string_append_c (file, '\n');
  for (gsize i = 0; i < count; i++)
    g_string_append_len (file, (const char *) &value, 4);

  g_assert (g_file_set_contents (path, file->str, (gssize) file->len, NULL));
}

static void
remove_folder (void)
{
  static const char * const names[] = { "a.npy", "b.npy", "c.npy" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (folder, names[i], NULL);
      g_unlink (path);
    }
  g_rmdir (folder);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  static const char warm_up[] = "{\"tokens\": [\"a\"], \"attention\": {\"npy\": \"a.npy\"}}";
  AttnDocument *document;

  folder = g_dir_make_tmp ("attnflow-fuzz-XXXXXX", NULL);
  g_assert (folder != NULL);
  atexit (remove_folder);
  write_npy ("a.npy", "(1, 1, 1, 1)", 1, 1);
  write_npy ("b.npy", "(2, 2, 2, 2)", 16, 2);
  write_npy ("c.npy", "(1, 3, 3)", 9, 3);

  /* GLib's one-time type registrations happen here, not during an input */
  document = attn_document_load_from_data (warm_up, strlen (warm_up), folder, NULL, NULL);
  g_assert (document != NULL);
  attn_document_unref (document);

  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  GError *error = NULL;
  AttnDocument *document;

  document = attn_document_load_from_data ((const char *) data, size, folder, NULL, &error);
  if (document != NULL)
    {
      /* touch everything the loader produced */
      for (guint i = 0; i < attn_document_get_n_examples (document); i++)
        {
          AttnExample *example = attn_document_get_example (document, i);
          guint n = attn_example_get_n_tokens (example);
          g_autofree double *row = g_new (double, n);

          attn_example_read_row (example, attn_example_get_n_layers (example),
                                 attn_example_get_n_heads (example) - 1, n - 1, row);
          g_assert (attn_example_get_focus (example) < n);
          g_assert (g_utf8_validate (attn_example_get_token (example, n - 1), -1, NULL));
        }
      attn_document_unref (document);
    }
  else
    {
      g_assert (error != NULL && error->message != NULL);
      g_assert (g_utf8_validate (error->message, -1, NULL));
      g_error_free (error);
    }

  return 0;
}
