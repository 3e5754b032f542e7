/* test-cli-bad.c: attnflow-cli on the bad-input catalogue
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One subtest per file of tests/data/bad/ (the table of catalogue.h): each
 * command that reads a file exits 1 with nothing on stdout and the loader's
 * message on stderr, without a control character a terminal obeys or a bidi
 * override, and the process is not killed by a signal (no crash, no abort).
 */

#include "config.h"

#include <glib.h>
#include <string.h>
#include <sys/wait.h>

#include "attn-error.h"
#include "../data/bad/catalogue.h"

static void
test_cli_bad_file (gconstpointer data)
{
  static const char * const commands[] = { "validate", "rollout" };
  const AttnBadCase *bad = data;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "bad", bad->file, NULL);
  const char *cli = g_getenv ("ATTNFLOW_CLI");

  g_assert_nonnull (cli);
  for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
    {
      const char *argv[] = { cli, commands[c], path, NULL };
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autoptr(GError) error = NULL;
      int wait_status;

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                    &wait_status, &error);
      g_assert_no_error (error);
      if (!WIFEXITED (wait_status))
        g_error ("attnflow-cli %s %s was killed by signal %d", commands[c], bad->file,
                 WTERMSIG (wait_status));
      /* no byte a terminal obeys (ESC, CSI), no bidi override: an id's
       * (id-controls.json) are shown as \u escapes */
      if (strchr (err, '\033') != NULL || strstr (err, "\xc2\x9b") != NULL ||
          strstr (err, "\u202e") != NULL)
        g_error ("attnflow-cli %s %s: stderr “%s” holds ESC, CSI or U+202E", commands[c],
                 bad->file, err);
      if (WEXITSTATUS (wait_status) != 1 || strstr (err, bad->message) == NULL || out[0] != '\0')
        g_error ("attnflow-cli %s %s: exit %d, stdout “%s”, stderr “%s”; expected exit 1 "
                 "and “%s” on stderr", commands[c], bad->file, WEXITSTATUS (wait_status), out,
                 err, bad->message);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_assert_cmpuint (G_N_ELEMENTS (attn_bad_cases), >=, 60);
  for (guint i = 0; i < G_N_ELEMENTS (attn_bad_cases); i++)
    {
      g_autofree char *name = g_strconcat ("/attn/cli/bad/", attn_bad_cases[i].file, NULL);

      g_test_add_data_func (name, &attn_bad_cases[i], test_cli_bad_file);
    }

  return g_test_run ();
}
