/* test-cli-hostile.c: attnflow-cli on files that change under it, and on text
 * meant for a terminal
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A .npy truncated, rewritten with NaN (as np.save does to the same path) or
 * deleted while `attnflow-cli flow FILE --example all` computes changes no
 * number of its output and kills nothing. Ids, tokens and labels holding
 * control characters (an ESC sequence retitles or clears a terminal) are
 * printed as visible escapes.
 */

/* posix_openpt(), grantpt(), unlockpt(), ptsname() */
#define _XOPEN_SOURCE 700

#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "attn-test-util.h"

#define N_TOKENS   48
#define N_LAYERS   6
#define N_HEADS    4
#define N_EXAMPLES 4

/* A float32 .npy of [L][H][n][n] rows summing to 1 (format 1.0). */
static GBytes *
make_npy (void)
{
  gsize count = (gsize) N_LAYERS * N_HEADS * N_TOKENS * N_TOKENS;
  g_autoptr(GString) npy = attn_test_npy_new_float32 (N_LAYERS, N_HEADS, N_TOKENS);
  g_autofree float *values = g_new (float, count);
  GRand *rand = g_rand_new_with_seed (20260);

  for (gsize r = 0; r < count / N_TOKENS; r++)
    {
      float sum = 0.f;

      for (guint k = 0; k < N_TOKENS; k++)
        sum += values[r * N_TOKENS + k] = (float) g_rand_double_range (rand, 0.01, 1.);
      for (guint k = 0; k < N_TOKENS; k++)
        values[r * N_TOKENS + k] /= sum;
    }
  g_rand_free (rand);

  g_string_append_len (npy, (const char *) values, (gssize) (count * sizeof (float)));
  return g_string_free_to_bytes (g_steal_pointer (&npy));
}

static char *
write_export (const char *folder,
              GBytes     *npy)
{
  g_autofree char *npy_path = g_build_filename (folder, "att.npy", NULL);
  g_autoptr(GString) json = g_string_new ("{\"format\": \"attnflow\", \"version\": 1, "
                                          "\"examples\": [");
  char *path = g_build_filename (folder, "multi.json", NULL);

  for (guint e = 0; e < N_EXAMPLES; e++)
    {
      g_string_append_printf (json, "%s{\"id\": \"e%u\", \"focus\": %u, \"tokens\": [",
                              e ? ", " : "", e, e * 7);
      for (guint i = 0; i < N_TOKENS; i++)
        g_string_append_printf (json, "%s\"t%u\"", i ? ", " : "", i);
      g_string_append (json, "], \"attention\": {\"npy\": \"att.npy\"}}");
    }
  g_string_append (json, "]}\n");

  g_assert_true (g_file_set_contents (npy_path, g_bytes_get_data (npy, NULL),
                                      (gssize) g_bytes_get_size (npy), NULL));
  g_assert_true (g_file_set_contents (path, json->str, (gssize) json->len, NULL));
  return path;
}

typedef enum
{
  CHANGE_TRUNCATE_AND_REWRITE,
  CHANGE_DELETE,
} Change;

/* Runs `flow FILE --example all --position all`, changes the .npy once the
 * process has read it (and closed it: inotify says when), and returns what it
 * printed. */
static char *
run_flow_while_changing (const char *json,
                         const char *npy,
                         gsize       npy_size,
                         Change      change)
{
  int watch = inotify_init1 (IN_CLOEXEC | IN_NONBLOCK);
  g_autofree char *out_path = g_strconcat (json, ".out", NULL);
  const char *argv[] = { g_getenv ("ATTNFLOW_CLI"), "flow", json, "--example", "all",
                         "--position", "all", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  gboolean changed_while_running = FALSE;
  int out_fd = g_open (out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  int wait_status;
  GPid pid;

  g_assert_cmpint (out_fd, >=, 0);
  g_assert_cmpint (watch, >=, 0);
  g_assert_cmpint (inotify_add_watch (watch, npy, IN_CLOSE_NOWRITE), >=, 0);
  g_spawn_async_with_pipes_and_fds (NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                    -1, out_fd, -1, NULL, NULL, 0, &pid, NULL, NULL, NULL,
                                    &error);
  g_assert_no_error (error);
  close (out_fd);

  /* wait until it has read the .npy and closed it */
  for (;;)
    {
      struct pollfd fds = { watch, POLLIN, 0 };
      char events[4096];

      if (waitpid (pid, &wait_status, WNOHANG) == pid)
        g_error ("attnflow-cli ended before it read the .npy");
      if (poll (&fds, 1, 100) == 1 && read (watch, events, sizeof events) > 0)
        break;
    }
  close (watch);

  if (change == CHANGE_TRUNCATE_AND_REWRITE)
    {
      g_autofree guint8 *poison = g_malloc (npy_size);
      int fd;

      /* what np.save does to the same path: truncate, then write */
      g_assert_cmpint (truncate (npy, 0), ==, 0);
      g_usleep (20000);
      memset (poison, 0xff, npy_size); /* NaN, whatever the header says */
      fd = g_open (npy, O_WRONLY, 0);
      g_assert_cmpint (write (fd, poison, npy_size), ==, (gssize) npy_size);
      close (fd);
    }
  else
    g_assert_cmpint (g_unlink (npy), ==, 0);

  changed_while_running = waitpid (pid, &wait_status, WNOHANG) == 0;
  if (changed_while_running)
    g_assert_cmpint (waitpid (pid, &wait_status, 0), ==, pid);
  g_spawn_close_pid (pid);

  if (!WIFEXITED (wait_status))
    g_error ("attnflow-cli was killed by signal %d", WTERMSIG (wait_status));
  g_assert_cmpint (WEXITSTATUS (wait_status), ==, 0);
  /* the computation takes ~10 ms a position: far longer than the change */
  g_assert_true (changed_while_running);

  g_assert_true (g_file_get_contents (out_path, &out, NULL, NULL));
  g_assert_cmpint (g_unlink (out_path), ==, 0);
  return g_steal_pointer (&out);
}

static void
test_npy_changes_while_computing (void)
{
  g_autofree char *folder = g_dir_make_tmp ("attnflow-cli-hostile-XXXXXX", NULL);
  g_autoptr(GBytes) npy = make_npy ();
  g_autofree char *json = write_export (folder, npy);
  g_autofree char *npy_path = g_build_filename (folder, "att.npy", NULL);
  const char *args[] = { "flow", json, "--example", "all", "--position", "all", NULL };
  g_auto(AttnTestRun) reference = { 0 };

  attn_test_run_cli_v (&reference, args);
  g_assert_cmpint (reference.status, ==, 0);
  g_assert_nonnull (strstr (reference.out, "\"example\": \"e3\""));

  for (Change change = CHANGE_TRUNCATE_AND_REWRITE; change <= CHANGE_DELETE; change++)
    {
      g_autofree char *out = NULL;

      g_test_message ("change %d", change);
      g_assert_true (g_file_set_contents (npy_path, g_bytes_get_data (npy, NULL),
                                          (gssize) g_bytes_get_size (npy), NULL));
      out = run_flow_while_changing (json, npy_path, g_bytes_get_size (npy), change);
      g_assert_cmpstr (out, ==, reference.out);
    }

  /* and reading the rewritten file afresh validates it */
  {
    g_autofree guint8 *poison = g_malloc (g_bytes_get_size (npy));
    const char *validate[] = { "validate", json, NULL };
    g_auto(AttnTestRun) run = { 0 };

    memcpy (poison, g_bytes_get_data (npy, NULL), g_bytes_get_size (npy));
    memset (poison + 128, 0xff, 4); /* the first value: a NaN with its sign bit set */
    g_assert_true (g_file_set_contents (npy_path, (const char *) poison,
                                        (gssize) g_bytes_get_size (npy), NULL));
    attn_test_run_cli_v (&run, validate);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.err, "layer 1, head 0, row 0, column 0 holds NaN"));
  }

  attn_test_remove_tree (folder);
}

/* No byte of what attnflow-cli prints is a control character, except the
 * line breaks it writes itself, nor an invisible one: a format character
 * (Unicode category Cf: the bidi controls, zero-width space, tags) other than
 * the joiners ZWNJ and ZWJ, or a line or paragraph separator. */
static void
assert_no_controls (const char *what,
                    const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if ((c < 0x20 && c != '\n') || (c >= 0x7f && c <= 0x9f) ||
          (type == G_UNICODE_FORMAT && c != 0x200c && c != 0x200d) ||
          type == G_UNICODE_LINE_SEPARATOR || type == G_UNICODE_PARAGRAPH_SEPARATOR)
        g_error ("%s holds U+%04X: “%s”", what, c, text);
    }
}

static void
test_control_characters (void)
{
  g_autofree char *folder = g_dir_make_tmp ("attnflow-cli-hostile-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (folder, "esc\x1b]0;x\x07.json", NULL);
  static const char text[] =
    "{\"id\": \"a\\u001b]0;pwned\\u0007b\", \"model\": \"m\\u001b[2J\", "
    "\"tokens\": [\"x\\u001b[2J\", \"\\u009b31m\\ty\"], "
    "\"attention\": [[[0.5, 0.5], [0.5, 0.5]]], "
    "\"prediction\": {\"label\": \"\\u001bc\", \"candidates\": [{\"label\": \"\\u001bc\", "
    "\"probability\": 1}]}, \"references\": {\"gr\\u001bad\": [1, 2]}}";
  const char *info[] = { "info", path, NULL };
  const char *validate[] = { "validate", path, NULL };
  const char *raw[] = { "raw", path, NULL };
  const char *missing[] = { "raw", path, "--example", "no\x1b[2Jsuch", NULL };
  g_auto(AttnTestRun) run_info = { 0 };
  g_auto(AttnTestRun) run_validate = { 0 };
  g_auto(AttnTestRun) run_raw = { 0 };
  g_auto(AttnTestRun) run_missing = { 0 };

  g_assert_true (g_file_set_contents (path, text, -1, NULL));

  attn_test_run_cli_v (&run_info, info);
  g_assert_cmpint (run_info.status, ==, 0);
  assert_no_controls ("info", run_info.out);
  g_assert_nonnull (strstr (run_info.out, "a\\x1b]0;pwned\\x07b"));
  g_assert_nonnull (strstr (run_info.out, "x\\x1b[2J"));
  g_assert_nonnull (strstr (run_info.out, "m\\x1b[2J"));
  g_assert_nonnull (strstr (run_info.out, "gr\\x1bad"));
  g_assert_nonnull (strstr (run_info.out, "esc\\x1b]0;x\\x07.json"));

  attn_test_run_cli_v (&run_validate, validate);
  g_assert_cmpint (run_validate.status, ==, 0);
  assert_no_controls ("validate", run_validate.out);

  /* JSON escapes as JSON does, C1 controls included */
  attn_test_run_cli_v (&run_raw, raw);
  g_assert_cmpint (run_raw.status, ==, 0);
  assert_no_controls ("raw", run_raw.out);
  g_assert_nonnull (strstr (run_raw.out, "\"x\\u001b[2J\", \"\\u009b31m\\ty\""));

  /* errors on stderr: the loader's message quotes the id asked for and the
   * file's as every message quotes a file's text (attn_error_quote_text()) */
  attn_test_run_cli_v (&run_missing, missing);
  g_assert_cmpint (run_missing.status, ==, 1);
  assert_no_controls ("stderr", run_missing.err);
  g_assert_nonnull (strstr (run_missing.err, "No example “no\\x1b[2Jsuch”: the file has one example, "
                            "“a\\x1b]0;pwned\\x07b” (index 0)"));

  attn_test_remove_tree (folder);
}

/* A file's name that is not UTF-8 is named in every command's messages as
 * the loader's message quotes it, its bytes as \xe9 \xff
 * (attn_error_display_path()): the name before the message showed them as
 * U+FFFD (g_filename_display_name()), and so did correlate's table */
static void
test_name_not_utf8 (void)
{
  g_autofree char *folder = g_dir_make_tmp ("attnflow-cli-hostile-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (folder, "nope\xe9\xff.json", NULL);
  g_autofree char *broken = g_build_filename (folder, "bad\xe9.json", NULL);
  const char *commands[][6] = {
    { "info", NULL }, { "validate", NULL }, { "raw", NULL }, { "rollout", NULL }, { "flow", NULL },
    { "correlate", "--reference", "gradient", NULL }, { "antecedents", NULL },
    { "render", "--view", "flow", "--output", "x.png", NULL },
  };

  g_assert_true (g_file_set_contents (broken, "{\"id\": 1\n", -1, NULL));
  for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
    {
      g_auto(AttnTestRun) run_missing = { 0 };
      g_auto(AttnTestRun) run_broken = { 0 };
      g_autofree char *expected_missing = g_strdup_printf ("attnflow-cli %s: %s/nope\\xe9\\xff.json: "
                                                           "Cannot read “%s/nope\\xe9\\xff.json”: ",
                                                           commands[c][0], folder, folder);
      g_autofree char *expected_broken = g_strdup_printf ("attnflow-cli %s: %s/bad\\xe9.json: Example 0, "
                                                          "line 2, column 1: ", commands[c][0], folder);
      const char *argv[8] = { commands[c][0], missing };

      for (guint a = 1; commands[c][a] != NULL; a++)
        argv[a + 1] = commands[c][a];
      attn_test_run_cli_v (&run_missing, argv);
      argv[1] = broken;
      attn_test_run_cli_v (&run_broken, argv);
      g_test_message ("%s", run_missing.err);
      g_assert_cmpint (run_missing.status, ==, 1);
      g_assert_true (g_str_has_prefix (run_missing.err, expected_missing));
      g_assert_cmpint (run_broken.status, ==, 1);
      g_assert_true (g_str_has_prefix (run_broken.err, expected_broken));
      g_assert_null (strstr (run_missing.err, "\uFFFD"));
      g_assert_null (strstr (run_broken.err, "\uFFFD"));
    }

  /* correlate's table names it so too, as info does */
  {
    g_autofree char *sst2 = g_test_build_filename (G_TEST_DIST, "..", "data", "examples",
                                                   "sst2-bert.json", NULL);
    g_autofree char *copy = g_build_filename (folder, "s\xe9.json", NULL);
    g_autofree char *text = NULL;
    g_autofree char *expected = NULL;
    gsize length;
    const char *correlate[] = { "correlate", copy, "--reference", "gradient", NULL };
    g_auto(AttnTestRun) run = { 0 };

    g_assert_true (g_file_get_contents (sst2, &text, &length, NULL));
    g_assert_true (g_file_set_contents (copy, text, (gssize) length, NULL));
    attn_test_run_cli_v (&run, correlate);
    g_assert_cmpint (run.status, ==, 0);
    expected = g_strdup_printf ("\n%s/s\\xe9.json: 5 examples; ", folder);
    g_assert_nonnull (strstr (run.out, expected));
    g_assert_null (strstr (run.out, "\uFFFD"));
  }
  attn_test_remove_tree (folder);
}

/* Bidi controls (U+202E RIGHT-TO-LEFT OVERRIDE shows what follows it
 * backwards) and invisible characters in ids, tokens, labels, reference
 * names and file names are printed as escapes, \u202e (\U000e0041 above
 * U+FFFF); JSON escapes them as JSON does; ZWJ, part of an emoji, stays */
static void
test_invisible_characters (void)
{
  g_autofree char *folder = g_dir_make_tmp ("attnflow-cli-hostile-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (folder, "bidi\u202egnp.json", NULL);
  g_autofree char *shown_path = NULL;
  g_autofree char *out_dir = g_build_filename (folder, "out\u2067dir", NULL);
  g_autofree char *shown_dir = NULL;
  g_autofree char *expected = NULL;
  static const char text[] =
    "{\"id\": \"ab\\u202ecd\", \"model\": \"m\\u2066x\\u2069\\u2028\", "
    "\"tokens\": [\"x\\u200by\", \"\\u200fz\", \"\\ud83d\\udc68\\u200d\\ud83d\\udc69\", \"t\\udb40\\udc41\"], "
    "\"focus\": 3, \"antecedents\": [0, 1], "
    "\"attention\": [[[0.1, 0.2, 0.3, 0.4], [0.4, 0.3, 0.2, 0.1], [0.25, 0.25, 0.25, 0.25], [0.7, 0.1, 0.1, 0.1]]], "
    "\"prediction\": {\"label\": \"p\\u061cq\", \"candidates\": [{\"label\": \"p\\u061cq\", "
    "\"probability\": 1}]}, \"references\": {\"g\\u202ar\\u202c\": [4, 1, 3, 2]}}";
  /* the tokens as the JSON output writes them; the emoji as it is */
  static const char json_tokens[] =
    "\"tokens\": [\"x\\u200by\", \"\\u200fz\", \"\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\", "
    "\"t\\udb40\\udc41\"]";
  g_auto(AttnTestRun) run = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  shown_path = g_strconcat (folder, "/bidi\\u202egnp.json", NULL);
  shown_dir = g_strconcat (folder, "/out\\u2067dir", NULL);

  attn_test_run_cli (&run, "info", path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  assert_no_controls ("info", run.out);
  g_assert_nonnull (strstr (run.out, "Model: m\\u2066x\\u2069\\u2028\n"));
  g_assert_nonnull (strstr (run.out, shown_path));
  g_assert_nonnull (strstr (run.out, "0      ab\\u202ecd  4  1  mixed  3 “t\\U000e0041”  "));
  g_assert_nonnull (strstr (run.out, "p\\u061cq"));
  g_assert_nonnull (strstr (run.out, "g\\u202ar\\u202c"));
  attn_test_run_clear (&run);

  attn_test_run_cli (&run, "validate", path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  expected = g_strconcat (shown_path, ": valid, 1 example\n", NULL);
  g_assert_cmpstr (run.out, ==, expected);
  attn_test_run_clear (&run);

  /* JSON: the same text, read back */
  attn_test_run_cli (&run, "raw", path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  assert_no_controls ("raw", run.out);
  g_assert_nonnull (strstr (run.out, "{\"example\": \"ab\\u202ecd\", "));
  g_assert_nonnull (strstr (run.out, json_tokens));
  json_parser_load_from_data (parser, run.out, -1, &error);
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (object, "example"), ==, "ab\u202ecd");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (object, "tokens"), 3),
                   ==, "t\U000e0041");
  attn_test_run_clear (&run);

  /* CSV into a file (not a terminal) keeps the text as it is */
  attn_test_run_cli (&run, "raw", path, "--format", "csv", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "1,0,x\u200by,"));
  attn_test_run_clear (&run);

  /* errors that quote what was given */
  attn_test_run_cli (&run, "raw", path, "--example", "no\u202esuch", NULL);
  g_assert_cmpint (run.status, ==, 1);
  assert_no_controls ("stderr", run.err);
  g_assert_nonnull (strstr (run.err, "No example “no\\u202esuch”"));
  attn_test_run_clear (&run);
  attn_test_run_cli (&run, "correlate", path, "--reference", "n\u200bo", NULL);
  g_assert_cmpint (run.status, ==, 1);
  assert_no_controls ("stderr", run.err);
  g_assert_nonnull (strstr (run.err, "bidi\\u202egnp.json: No example carries references.n\\u200bo "
                                  "(the examples carry: g\\u202ar\\u202c)\n"));
  attn_test_run_clear (&run);
  attn_test_run_cli (&run, "no-such\u202ecommand", NULL);
  g_assert_cmpint (run.status, ==, 2);
  assert_no_controls ("stderr", run.err);
  g_assert_nonnull (strstr (run.err, "Unknown command “no-such\\u202ecommand”"));
  attn_test_run_clear (&run);

  attn_test_run_cli (&run, "correlate", path, "--reference", "g\u202ar\u202c", NULL);
  g_assert_cmpint (run.status, ==, 0);
  assert_no_controls ("correlate", run.out);
  g_assert_nonnull (strstr (run.out, "references.g\\u202ar\\u202c and"));
  g_assert_nonnull (strstr (run.out, shown_path));
  attn_test_run_clear (&run);

  attn_test_run_cli (&run, "antecedents", path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  assert_no_controls ("antecedents", run.out);
  g_assert_nonnull (strstr (run.out, "\ng\\u202ar\\u202c  "));
  g_assert_nonnull (strstr (run.out, shown_path));
  attn_test_run_clear (&run);

  /* the files saved, on stdout, and the folder, on stderr */
  attn_test_run_cli (&run, "render", path, "--view", "raw", "--output-dir", out_dir, NULL);
  g_assert_cmpint (run.status, ==, 0);
  assert_no_controls ("render", run.out);
  assert_no_controls ("render", run.err);
  g_clear_pointer (&expected, g_free);
  expected = g_strconcat (shown_dir, "/ab_cd-raw.png\n", NULL);
  g_assert_cmpstr (run.out, ==, expected);
  g_clear_pointer (&expected, g_free);
  expected = g_strconcat ("attnflow-cli render: 1 figure saved in ", shown_dir, "\n", NULL);
  g_assert_cmpstr (run.err, ==, expected);

  attn_test_remove_tree (folder);
}

/* What attnflow-cli writes on stderr when stderr is a terminal (a pty's
 * other end); stdout goes to /dev/null */
static char *
run_on_terminal (const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GString) err = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  int master = posix_openpt (O_RDWR | O_NOCTTY);
  int slave, wait_status;
  GPid pid;
  char buffer[4096];
  gssize n;

  g_assert_cmpint (master, >=, 0);
  g_assert_cmpint (grantpt (master), ==, 0);
  g_assert_cmpint (unlockpt (master), ==, 0);
  slave = open (ptsname (master), O_RDWR | O_NOCTTY);
  g_assert_cmpint (slave, >=, 0);

  g_ptr_array_add (argv, (gpointer) g_getenv ("ATTNFLOW_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_async_with_pipes_and_fds (NULL, (const char * const *) argv->pdata, NULL,
                                    G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                                    NULL, NULL, -1, -1, slave, NULL, NULL, 0,
                                    &pid, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  close (slave);
  /* until the child's end of the pty closes (EIO) */
  while ((n = read (master, buffer, sizeof buffer)) > 0)
    g_string_append_len (err, buffer, n);
  close (master);
  g_assert_cmpint (waitpid (pid, &wait_status, 0), ==, pid);
  g_spawn_close_pid (pid);
  g_assert_true (WIFEXITED (wait_status));
  g_assert_cmpint (WEXITSTATUS (wait_status), ==, 0);
  return g_string_free (g_steal_pointer (&err), FALSE);
}

/* The progress line of every command starts as its messages do,
 * "attnflow-cli COMMAND: ", and counts jobs only when there are several */
static void
test_progress_line (void)
{
  g_autofree char *bert = g_test_build_filename (G_TEST_DIST, "..", "data", "examples",
                                                 "bert-base-uncased.json", NULL);
  g_autofree char *sst2 = g_test_build_filename (G_TEST_DIST, "..", "data", "examples",
                                                 "sst2-bert.json", NULL);
  g_autofree char *folder = g_dir_make_tmp ("attnflow-cli-progress-XXXXXX", NULL);
  const char *one[] = { "rollout", bert, NULL };
  const char *two[] = { "rollout", bert, "--example", "all", NULL };
  const char *correlate[] = { "correlate", sst2, "--reference", "gradient", NULL };
  const char *render[] = { "render", bert, "--view", "raw", "--output-dir", folder, NULL };
  g_autofree char *err_one = run_on_terminal (one);
  g_autofree char *err_two = run_on_terminal (two);
  g_autofree char *err_correlate = run_on_terminal (correlate);
  g_autofree char *err_render = run_on_terminal (render);

  g_test_message ("%s", err_one);
  g_assert_true (g_regex_match_simple ("^(\\rattnflow-cli rollout: [0-9]+%\\e\\[K)+\\r\\e\\[K$",
                                       err_one, 0, 0));
  g_assert_true (g_regex_match_simple ("^(\\rattnflow-cli rollout: [0-9]+% [12]/2\\e\\[K)+\\r\\e\\[K$",
                                       err_two, 0, 0));
  g_assert_true (g_regex_match_simple ("^(\\rattnflow-cli correlate: [0-9]+% [0-9]+/[0-9]+\\e\\[K)+",
                                       err_correlate, 0, 0));
  g_assert_true (g_str_has_prefix (err_render, "\rattnflow-cli render: 1/2 cat-mat\033[K"));
  attn_test_remove_tree (folder);
}

#if !defined(__SANITIZE_ADDRESS__)
typedef struct
{
  int   resource;
  rlim_t limit;
} Limit;

static void
set_limit (gpointer data)
{
  const Limit *limit = data;
  struct rlimit value = { limit->limit, limit->limit };

  setrlimit (limit->resource, &value);
}

/* attnflow-cli validate @path under the resource limit @limit: it exits 1,
 * killed by nothing, with nothing on stdout. Returns its stderr. */
static char *
validate_limited (const char  *path,
                  const Limit *limit)
{
  const char *argv[] = { g_getenv ("ATTNFLOW_CLI"), "validate", path, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int wait_status;

  g_assert_nonnull (argv[0]);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, set_limit, (gpointer) limit, &out,
                &err, &wait_status, &error);
  g_assert_no_error (error);
  if (!WIFEXITED (wait_status))
    g_error ("attnflow-cli validate was killed by signal %d: %s", WTERMSIG (wait_status), err);
  g_assert_cmpint (WEXITSTATUS (wait_status), ==, 1);
  g_assert_cmpstr (out, ==, "");
  return g_steal_pointer (&err);
}
#endif

/* A JSON file larger than the memory the program may have (its data: the
 * heap and private mappings, not the file it maps to read) is refused with a
 * message: the loader reserves memory of the file's length for the text it
 * hands json-glib, and aborted when it could not have it. */
static void
test_json_larger_than_memory (void)
{
#if defined(__SANITIZE_ADDRESS__)
  g_test_skip ("AddressSanitizer's own mappings count against the limit");
#else
  g_autofree char *folder = g_dir_make_tmp ("attnflow-cli-memory-XXXXXX", NULL);
  g_autofree char *json_path = g_build_filename (folder, "long.json", NULL);
  const gsize text_length = (gsize) 96 << 20;
  g_autoptr(GString) json = g_string_sized_new (text_length + 128);
  const Limit limit = { RLIMIT_DATA, (rlim_t) 48 << 20 };
  g_autofree char *err = NULL;

  g_string_append (json, "{\"id\": \"long\", \"text\": \"");
  for (gsize i = 0; i < text_length; i++)
    g_string_append_c (json, 'A');
  g_string_append (json, "\", \"tokens\": [\"a\"], \"attention\": [[[1]]]}");
  g_assert_true (g_file_set_contents (json_path, json->str, (gssize) json->len, NULL));

  err = validate_limited (json_path, &limit);
  /* (g_format_size() puts a no-break space before the unit) */
  g_assert_nonnull (strstr (err, "long.json: There is not enough memory to read the file: reading "
                                 "it takes 97.5\u00a0MiB\n"));
  attn_test_remove_tree (folder);
#endif
}

/* A .npy of more values than the program can hold (a 32-layer model's
 * float16 attention at 4096 tokens is 34 GB; here a sparse 2 GiB file under a
 * 1 GiB address space) is refused with a message: allocating it aborted the
 * program, and with it every window of the application. */
static void
test_npy_larger_than_memory (void)
{
#if defined(__SANITIZE_ADDRESS__)
  g_test_skip ("AddressSanitizer reserves more address space than the limit leaves");
#else
  const guint n = 23170; /* n * n float32: 2.0 GiB */
  g_autofree char *folder = g_dir_make_tmp ("attnflow-cli-memory-XXXXXX", NULL);
  g_autofree char *npy_path = g_build_filename (folder, "big.npy", NULL);
  g_autofree char *json_path = g_build_filename (folder, "big.json", NULL);
  g_autoptr(GString) npy = attn_test_npy_new_float32 (1, 1, n);
  g_autoptr(GString) json = g_string_new ("{\"id\": \"big\", \"attention\": {\"npy\": \"big.npy\"}, "
                                          "\"tokens\": [");
  const Limit limit = { RLIMIT_AS, (rlim_t) 1 << 30 };
  g_autofree char *err = NULL;
  int fd;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (json, i ? ", \"t%u\"" : "\"t%u\"", i);
  g_string_append (json, "]}");
  g_assert_true (g_file_set_contents (json_path, json->str, (gssize) json->len, NULL));
  fd = g_open (npy_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, npy->str, npy->len), ==, (gssize) npy->len);
  g_assert_cmpint (ftruncate (fd, (off_t) (npy->len + (gsize) n * n * 4)), ==, 0);
  g_assert_cmpint (close (fd), ==, 0);

  err = validate_limited (json_path, &limit);
  g_assert_nonnull (strstr (err, "Example “big”, field “attention.npy”: “big.npy” holds 2.0\u00a0GiB "
                                 "of values, more than there is memory for\n"));
  attn_test_remove_tree (folder);
#endif
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/attn/cli/hostile/npy-changes-while-computing", test_npy_changes_while_computing);
  g_test_add_func ("/attn/cli/hostile/control-characters", test_control_characters);
  g_test_add_func ("/attn/cli/hostile/invisible-characters", test_invisible_characters);
  g_test_add_func ("/attn/cli/hostile/name-not-utf8", test_name_not_utf8);
  g_test_add_func ("/attn/cli/hostile/progress-line", test_progress_line);
  g_test_add_func ("/attn/cli/hostile/npy-larger-than-memory", test_npy_larger_than_memory);
  g_test_add_func ("/attn/cli/hostile/json-larger-than-memory", test_json_larger_than_memory);

  return g_test_run ();
}
