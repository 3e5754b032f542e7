/* test-cli-bad.c: attnflow-cli on the bad-input catalogue (issue 8)
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For every case of tests/data/bad/README.md, each command that reads a file
 * exits 1 with nothing on stdout and the loader's message on stderr, and the
 * process is not killed by a signal (no crash, no abort).
 */

#include "config.h"

#include <glib.h>
#include <string.h>
#include <sys/wait.h>

static void
test_cli_bad_catalogue (void)
{
  static const char * const commands[] = { "validate", "rollout" };
  g_autofree char *folder = g_test_build_filename (G_TEST_DIST, "data", "bad", NULL);
  g_autofree char *readme = g_build_filename (folder, "README.md", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  const char *cli = g_getenv ("ATTNFLOW_CLI");
  guint n_cases = 0;

  g_assert_nonnull (cli);
  g_assert_true (g_file_get_contents (readme, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) cells = NULL;
      g_autofree char *file = NULL;
      g_autofree char *path = NULL;

      if (!g_str_has_prefix (lines[i], "| `"))
        continue;

      cells = g_strsplit (lines[i] + 2, " | ", -1);
      g_assert_cmpuint (g_strv_length (cells), ==, 4);
      file = g_strndup (cells[0] + 1, strlen (cells[0]) - 2);
      path = g_build_filename (folder, file, NULL);

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
            g_error ("attnflow-cli %s %s was killed by signal %d", commands[c], file,
                     WTERMSIG (wait_status));
          if (WEXITSTATUS (wait_status) != 1 || strstr (err, cells[2]) == NULL ||
              out[0] != '\0')
            g_error ("attnflow-cli %s %s: exit %d, stdout “%s”, stderr “%s”; expected exit 1 "
                     "and “%s” on stderr", commands[c], file, WEXITSTATUS (wait_status), out,
                     err, cells[2]);
        }
      n_cases++;
    }

  g_assert_cmpuint (n_cases, >=, 60);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/bad-catalogue", test_cli_bad_catalogue);

  return g_test_run ();
}
