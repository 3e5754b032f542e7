/* test-cli-save.c: where `attnflow-cli render` and the app's saves may
 * write, and what they refuse before the work
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "attn-render.h"
#include "attn-test-util.h"

static const char *cli;
static char *bert;
static char *sst2;
static char *tmpdir;

/* A run of `attnflow-cli render ARGS…`, killed after 60 s: a save that
 * blocks (a named pipe opened for writing) fails the test instead of
 * hanging it; its status, or -1 when it was killed */
static int
run_render (char       **err,
            const char  *first,
            ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int wait_status;
  va_list list;

  g_ptr_array_add (argv, (gpointer) "timeout");
  g_ptr_array_add (argv, (gpointer) "-s");
  g_ptr_array_add (argv, (gpointer) "KILL");
  g_ptr_array_add (argv, (gpointer) "60");
  g_ptr_array_add (argv, (gpointer) cli);
  g_ptr_array_add (argv, (gpointer) "render");
  va_start (list, first);
  for (const char *p = first; p != NULL; p = va_arg (list, const char *))
    g_ptr_array_add (argv, (gpointer) p);
  va_end (list);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, err, &wait_status,
                &error);
  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, "");
  if (!WIFEXITED (wait_status) || WEXITSTATUS (wait_status) == 128 + SIGKILL)
    return -1;
  return WEXITSTATUS (wait_status);
}

static char *
tmp (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

/* `render INPUT --view @view --output|--output-dir @output` of an export
 * and of a file that does not exist: exit 1, @expected on stderr, the same
 * for both (the output is refused before the files are read: the missing
 * one is not what it says) */
static void
assert_refused (const char *view,
                const char *option,
                const char *output,
                const char *expected)
{
  const char *inputs[] = { bert, "missing.json" };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autofree char *err = NULL;

      g_assert_cmpint (run_render (&err, inputs[i], "--view", view, option, output, NULL), ==, 1);
      g_assert_cmpstr (err, ==, expected);
    }
}

/* --output a named pipe (mkfifo) blocked for ever, opened for writing with
 * nothing reading it: refused at once, before the files are read (a missing
 * one is not what it says), naming the file and what it is, with exit 1 as
 * a folder that cannot be written in; the pipe stays a pipe, and nothing
 * else is left in its folder. The same for a link to a device, and for a
 * pipe under the name of a batch's figure. */
static void
test_output_fifo (void)
{
  g_autofree char *dir = tmp ("fifo");
  g_autofree char *fifo = g_build_filename (dir, "figure.png", NULL);
  g_autofree char *link = g_build_filename (dir, "null.png", NULL);
  g_autofree char *batch = g_build_filename (dir, "batch", NULL);
  g_autofree char *batch_fifo = g_build_filename (batch, "cat-mat-rollout.png", NULL);
  g_autofree char *expected = g_strdup_printf ("attnflow-cli render: Could not save the figure to “%s”: It is a "
                                               "named pipe (FIFO), not a regular file\n", fifo);
  g_autofree char *expected_link = g_strdup_printf ("attnflow-cli render: Could not save the figure to “%s”: It "
                                                    "links to “/dev/null”, a character device, not a regular "
                                                    "file\n", link);
  g_autofree char *expected_batch = g_strdup_printf ("attnflow-cli render: Example “cat-mat” (1 of 2): Could not "
                                                     "save the figure to “%s”: It is a named pipe (FIFO), not a "
                                                     "regular file\n", batch_fifo);
  g_autofree char *names = NULL;
  GStatBuf st;

  g_assert_cmpint (g_mkdir_with_parents (batch, 0700), ==, 0);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (mkfifo (batch_fifo, 0600), ==, 0);
  g_assert_cmpint (symlink ("/dev/null", link), ==, 0);

  assert_refused ("flow", "--output", fifo, expected);
  assert_refused ("flow", "--output", link, expected_link);
  {
    g_autofree char *err = NULL;

    g_assert_cmpint (run_render (&err, bert, "--view", "rollout", "--example", "all", "--output-dir", batch, NULL),
                     ==, 1);
    g_assert_cmpstr (err, ==, expected_batch);
  }

  g_assert_cmpint (g_stat (fifo, &st), ==, 0);
  g_assert_true (S_ISFIFO (st.st_mode));
  g_assert_cmpint (g_stat (batch_fifo, &st), ==, 0);
  g_assert_true (S_ISFIFO (st.st_mode));
  g_assert_cmpint (g_stat ("/dev/null", &st), ==, 0);
  g_assert_true (S_ISCHR (st.st_mode));
  names = attn_test_list_folder (dir);
  g_assert_cmpstr (names, ==, "batch figure.png null.png");
  g_clear_pointer (&names, g_free);
  names = attn_test_list_folder (batch);
  g_assert_cmpstr (names, ==, "cat-mat-rollout.png");
  attn_test_remove_tree (dir);
}

/* Why no file (@folder: no folder) can be made at @path, as the messages
 * say it: the system's reason for the attempt (attn_test_make_cause());
 * where the folder makes none without one (/proc: ENOENT, to root, and on
 * recent kernels to anyone: a name is looked up there before the
 * permissions are asked), what is said of the folder (@it: the folder is
 * the one named, “it does not accept new files”) */
static const char *
make_cause (const char *path,
            gboolean    folder,
            gboolean    it)
{
  const char *cause = attn_test_make_cause (path, folder);

  if (!g_str_equal (cause, g_strerror (ENOENT)))
    return cause;
  return it ? "it does not accept new files" : "its folder does not accept new files";
}

/* --output, --output-dir and correlate's --plot into /proc: root passed the
 * check of the permissions (access()), so render computed the figure (30 s
 * for a long export) and correlate printed its whole table, then the save
 * failed. The save is tried before: refused at once, before the files are
 * read (a missing one is not what it says), nothing on stdout. */
static void
test_output_proc (void)
{
  g_autofree char *expected = g_strdup_printf ("attnflow-cli render: Could not save the figure to “/proc/x.png”: "
                                               "%s\n", make_cause ("/proc/x.png", FALSE, FALSE));
  g_autofree char *expected_dir = g_strdup_printf ("attnflow-cli render: Could not save the figures in “/proc”: "
                                                   "%s\n", make_cause ("/proc/x.png", FALSE, TRUE));
  g_autofree char *expected_plot = g_strdup_printf ("attnflow-cli correlate: Could not save the figure to "
                                                    "“/proc/x.png”: %s\n",
                                                    make_cause ("/proc/x.png", FALSE, FALSE));

  {
    g_auto(AttnTestRun) r = { 0 };

    attn_test_run_cli (&r, "correlate", sst2, "--reference", "gradient", "--plot", "/proc/x.png", NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_cmpstr (r.out, ==, "");
    g_assert_cmpstr (r.err, ==, expected_plot);
  }
  assert_refused ("flow", "--output", "/proc/x.png", expected);
  assert_refused ("rollout", "--output-dir", "/proc", expected_dir);
  g_assert_false (g_file_test ("/proc/x.png", G_FILE_TEST_EXISTS));
}

/* --output-dir a folder that does not exist and cannot be made: in /proc
 * or /sys, under a file, or (as a user whom its mode binds, root too) in a
 * read-only folder, with or without missing folders between. Saving found
 * it only when it made the folder, after the files were read and the
 * figures computed; refused at once, before the files are read (a missing
 * one is not what it says), as saving says it or naming the folder that
 * refuses; nothing is made, nothing on stdout. */
static void
test_output_dir_cannot_be_made (void)
{
  g_autofree char *dir = tmp ("new-folder");
  g_autofree char *file = g_build_filename (dir, "file", NULL);
  g_autofree char *under_file = g_build_filename (file, "figures", NULL);
  g_autofree char *read_only = g_build_filename (dir, "read-only", NULL);
  g_autofree char *in_read_only = g_build_filename (read_only, "figures", NULL);
  g_autofree char *deep = g_build_filename (read_only, "a", "b", NULL);
  g_autofree char *missing = tmp ("no-such-input.json");
  const struct { const char *folder; char *message; } cases[] = {
    { "/proc/newdir", g_strdup_printf ("Could not make the folder “/proc/newdir”: %s",
                                       make_cause ("/proc/newdir", TRUE, FALSE)) },
    { "/proc/self/x/y", g_strdup_printf ("Could not make the folder “/proc/self/x/y” in “/proc/self”: %s",
                                         make_cause ("/proc/self/x", TRUE, TRUE)) },
    { under_file, g_strdup_printf ("Could not make the folder “%s”: Not a directory", under_file) },
    /* as root “Operation not permitted”: the check asked for a file, and
     * said “Permission denied” */
    { "/sys/newdir", g_strdup_printf ("Could not make the folder “/sys/newdir”: %s",
                                      make_cause ("/sys/newdir", TRUE, FALSE)) },
    { "/sys/newdir/figures", g_strdup_printf ("Could not make the folder “/sys/newdir/figures” in “/sys”: %s",
                                              make_cause ("/sys/newdir", TRUE, TRUE)) },
  };
  g_autofree char *names = NULL;

  g_assert_cmpint (g_mkdir_with_parents (read_only, 0755), ==, 0);
  g_assert_true (g_file_set_contents (file, "", 0, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *expected = g_strdup_printf ("attnflow-cli render: %s\n", cases[i].message);

      if (g_file_test ("/sys/kernel", G_FILE_TEST_IS_DIR) || !g_str_has_prefix (cases[i].folder, "/sys"))
        assert_refused ("rollout", "--output-dir", cases[i].folder, expected);
      g_assert_false (g_file_test (cases[i].folder, G_FILE_TEST_EXISTS));
      g_free (cases[i].message);
    }

  g_assert_cmpint (g_chmod (read_only, 0555), ==, 0);
  for (guint i = 0; i < 4; i++)
    {
      const char *folder = i < 2 ? in_read_only : deep;
      const char *args[] = { "render", i % 2 == 0 ? bert : missing, "--view", "raw", "--example", "all",
                             "--output-dir", folder, NULL };
      g_autofree char *expected = i < 2
        ? g_strdup_printf ("attnflow-cli render: Could not make the folder “%s”: Permission denied\n", folder)
        : g_strdup_printf ("attnflow-cli render: Could not make the folder “%s” in “%s”: Permission denied\n",
                           folder, read_only);
      g_auto(AttnTestRun) r = { 0 };

      attn_test_run_cli_as_user_v (&r, args);
      g_assert_cmpint (r.status, ==, 1);
      g_assert_cmpstr (r.out, ==, "");
      g_assert_cmpstr (r.err, ==, expected);
    }
  names = attn_test_list_folder (read_only);
  g_assert_cmpstr (names, ==, "");
  g_assert_cmpint (g_chmod (read_only, 0755), ==, 0);
  attn_test_remove_tree (dir);
}

/* --output a symbolic link that leads to no file: a dangling one (as `cp`
 * does not write through it: it could be another user's link in /tmp), one
 * into a folder that does not exist, or a loop of links, is refused before
 * the files are read, saying so, and stays as it was (it was replaced by a
 * regular file) */
static void
test_output_links (void)
{
  g_autofree char *dir = tmp ("links");
  g_autofree char *dangling = tmp ("links/dl.png");
  g_autofree char *made = tmp ("links/target-new.png");
  g_autofree char *loop = tmp ("links/loop.png");
  g_autofree char *far = tmp ("links/far.png");
  g_autofree char *expected_loop = g_strdup_printf ("attnflow-cli render: Could not save the figure to “%s”: It is a "
                                                    "symbolic link that leads back to itself (a loop of links)\n",
                                                    loop);
  g_autofree char *expected_dangling = g_strdup_printf ("attnflow-cli render: Could not save the figure to “%s”: It "
                                                        "is a symbolic link to “target-new.png”, which does not "
                                                        "exist: a save does not make the file a link points to; "
                                                        "save to that file’s own name\n", dangling);
  g_autofree char *expected_far = g_strdup_printf ("attnflow-cli render: Could not save the figure to “%s”: It is a "
                                                   "symbolic link to “nowhere/far.png”, whose folder does not "
                                                   "exist\n", far);
  g_autofree char *names = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_cmpint (symlink ("target-new.png", dangling), ==, 0);
  g_assert_cmpint (symlink ("loop.png", loop), ==, 0);
  g_assert_cmpint (symlink ("nowhere/far.png", far), ==, 0);

  assert_refused ("rollout", "--output", dangling, expected_dangling);
  assert_refused ("flow", "--output", loop, expected_loop);
  assert_refused ("flow", "--output", far, expected_far);
  g_assert_true (g_file_test (dangling, G_FILE_TEST_IS_SYMLINK));
  g_assert_false (g_file_test (made, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (loop, G_FILE_TEST_IS_SYMLINK));
  g_assert_true (g_file_test (far, G_FILE_TEST_IS_SYMLINK));
  names = attn_test_list_folder (dir);
  g_assert_cmpstr (names, ==, "dl.png far.png loop.png");
  attn_test_remove_tree (dir);
}

/* A save past the limit of a file's size (`ulimit -f`): the process was
 * killed by SIGXFSZ and left its hidden file beside the target; the write
 * fails instead, the hidden file is removed, and the message says why
 * (exit 1) */
static void
test_output_file_size_limit (void)
{
  g_autofree char *dir = tmp ("size-limit");
  g_autofree char *out = g_build_filename (dir, "big.png", NULL);
  g_autofree char *prefix = g_strdup_printf ("attnflow-cli render: Could not save the figure to “%s”: ", out);
  g_autofree char *err = NULL;
  g_autofree char *names = NULL;
  g_autoptr(GError) error = NULL;
  /* 50 blocks of 512 bytes (of 1024 in bash): less than the PNG's 200 kB */
  const char *argv[] = { "sh", "-c", "ulimit -f 50 && exec \"$0\" render \"$1\" --view flow --scale 3 "
                         "--output \"$2\"", cli, bert, out, NULL };
  int wait_status;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                &err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  g_assert_cmpint (WEXITSTATUS (wait_status), ==, 1);
  g_assert_true (g_str_has_prefix (err, prefix));
  g_assert_true (g_str_has_suffix (err, ": File too large\n"));
  names = attn_test_list_folder (dir);
  g_assert_cmpstr (names, ==, "");
  attn_test_remove_tree (dir);
}

/* `render JSON --view flow --figure FIGURE` (the comparison of “a” and
 * “b”) with --heads @heads when not %NULL, at @scale, to @output */
static int
run_figure (char       **err,
            const char  *json,
            const char  *figure,
            const char  *heads,
            const char  *scale,
            const char  *output)
{
  if (g_str_equal (figure, "compare"))
    return heads != NULL
           ? run_render (err, json, "--view", "flow", "--figure", "compare", "--example", "a", "--example", "b",
                         "--scale", scale, "--output", output, "--heads", heads, NULL)
           : run_render (err, json, "--view", "flow", "--figure", "compare", "--example", "a", "--example", "b",
                         "--scale", scale, "--output", output, NULL);
  return heads != NULL
         ? run_render (err, json, "--view", "flow", "--figure", figure, "--scale", scale, "--output", output,
                       "--heads", heads, NULL)
         : run_render (err, json, "--view", "flow", "--figure", figure, "--scale", scale, "--output", output, NULL);
}

/* The size of the SVG of run_figure() (its 1x size in pixels, as the
 * PNG's at scale 1) */
static void
svg_size (const char *json,
          const char *figure,
          const char *svg,
          double     *w,
          double     *h)
{
  g_autofree char *err = NULL;
  g_autofree char *contents = NULL;
  const char *at;

  g_assert_cmpint (run_figure (&err, json, figure, NULL, "1", svg), ==, 0);
  g_assert_true (g_file_get_contents (svg, &contents, NULL, NULL));
  at = strstr (contents, "<svg");
  g_assert_nonnull (at);
  g_assert_cmpint (sscanf (strstr (at, " width=\"") + 8, "%lf", w), ==, 1);
  g_assert_cmpint (sscanf (strstr (at, " height=\"") + 9, "%lf", h), ==, 1);
}

/* The numbers of a refusal of a PNG too large at scale 8: the size it says
 * and the scale it offers */
static void
parse_refusal (const char *err,
               const char *out,
               double     *w,
               double     *h,
               double     *fits)
{
  g_autofree char *prefix = g_strdup_printf ("attnflow-cli render: Could not save the figure to “%s”: At scale 8 the "
                                             "figure would be ", out);
  const char *rest;

  g_assert_nonnull (err);
  g_assert_true (g_str_has_prefix (err, prefix));
  g_assert_true (g_str_has_suffix (err, ", or save it as SVG or PDF\n"));
  rest = err + strlen (prefix);
  g_assert_cmpint (sscanf (rest, "%lf × %lf", w, h), ==, 2);
  rest = strstr (rest, " pixels, more than the 32767 a PNG image can have on a side: use a scale of at most ");
  g_assert_nonnull (rest);
  g_assert_cmpint (sscanf (strstr (rest, "at most ") + 8, "%lf", fits), ==, 1);
}

/* A PNG too large for the format, of a heatmap, a comparison, or a graph at
 * its natural size (no --size), was refused only once the values were
 * computed (flow's heatmap of 1024 tokens: 7 s): it is refused before, as a
 * graph's at --size was. A head the model does not have fails the compute
 * (“head 99 does not exist”): that the PNG is what is said shows nothing
 * was computed first. The size said is the figure's (the heatmap's and the
 * comparison's exactly, a graph's within 2 %: its colour bar's ticks
 * depend on the values), the scale offered makes a PNG of it, exit 1, and
 * nothing is written. An SVG is not refused. */
static void
test_png_too_large_before_compute (void)
{
  g_autofree char *dir = tmp ("large");
  g_autofree char *json = NULL;
  g_autofree char *out = NULL;
  g_autofree char *svg = NULL;
  const char *figures[] = { "heatmap", "compare", "graph" };

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  json = attn_test_write_long_export (dir, 400);
  out = g_build_filename (dir, "figure.png", NULL);
  svg = g_build_filename (dir, "figure.svg", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (figures); i++)
    {
      g_autofree char *err = NULL;
      g_autofree char *svg_err = NULL;
      double w, h, said_w, said_h, fits;

      svg_size (json, figures[i], svg, &w, &h);
      g_assert_cmpint (run_figure (&err, json, figures[i], "0,99", "8", out), ==, 1);
      parse_refusal (err, out, &said_w, &said_h, &fits);
      if (g_str_equal (figures[i], "graph"))
        {
          g_assert_cmpfloat (fabs (said_w - 8 * w), <=, 0.02 * 8 * w);
          g_assert_cmpfloat (fabs (said_h - 8 * h), <=, 0.02 * 8 * h);
        }
      else
        {
          g_assert_cmpfloat (said_w, ==, 8 * w);
          g_assert_cmpfloat (said_h, ==, 8 * h);
        }
      g_assert_cmpfloat (8 * MAX (w, h), >, 32767 * 1.02);
      g_assert_cmpfloat (ceil (fits * MAX (w, h)), <=, 32767);
      g_assert_cmpfloat (fits, >=, 1.);
      g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));

      /* as SVG, the compute runs, and says what it found */
      g_assert_cmpint (run_figure (&svg_err, json, figures[i], "0,99", "1", svg), ==, 1);
      g_assert_nonnull (strstr (svg_err, "head 99 does not exist"));
    }
  attn_test_remove_tree (dir);
}

static gboolean
write_nothing (GOutputStream  *stream,
               gpointer        user_data,
               GCancellable   *cancellable,
               GError        **error)
{
  return TRUE;
}

/* The app's saves (a figure, a table of values) go through the same
 * attn_file_save(): a named pipe, a device, a socket or a folder under the
 * name is refused with what it is, at once (the test is ended by SIGALRM
 * when a save blocks) */
static void
test_save_special_in_process (void)
{
  g_autoptr(AttnDocument) document = NULL;
  g_autoptr(AttnFigure) fig = NULL;
  g_autoptr(GError) error = NULL;
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureInput input = { 0 };
  AttnFigureStyle style;
  g_autofree char *dir = tmp ("special");
  g_autofree char *fifo = g_build_filename (dir, "figure.png", NULL);
  g_autofree char *folder = g_build_filename (dir, "folder.png", NULL);
  g_autofree char *table = g_build_filename (dir, "values.tsv", NULL);
  g_autoptr(GFile) fifo_file = g_file_new_for_path (fifo);
  g_autoptr(GFile) folder_file = g_file_new_for_path (folder);
  g_autoptr(GFile) table_file = g_file_new_for_path (table);
  g_autoptr(GFile) null_file = g_file_new_for_path ("/dev/null");
  g_autofree char *expected = g_strdup_printf ("Could not save the figure to “%s”: It is a named pipe (FIFO), "
                                               "not a regular file", fifo);
  g_autofree char *expected_folder = g_strdup_printf ("Could not save the figure to “%s”: %s", folder,
                                                      g_strerror (EISDIR));
  g_autofree char *names = NULL;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (mkfifo (table, 0600), ==, 0);
  document = attn_document_load (bert, NULL, &error);
  g_assert_no_error (error);
  input.example = attn_document_get_example (document, 0);
  attn_figure_style_init (&style, FALSE);
  fig = attn_figure_build (&input, 1, &settings, &style, NULL, &error);
  g_assert_no_error (error);

  alarm (60);
  g_assert_false (attn_figure_save (fig, fifo_file, ATTN_EXPORT_PNG, 1., NULL, &error));
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_IO);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);
  g_assert_false (attn_figure_save (fig, folder_file, ATTN_EXPORT_SVG, 1., NULL, &error));
  g_assert_cmpstr (error->message, ==, expected_folder);
  g_clear_error (&error);
  g_assert_false (attn_file_check_target (null_file, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  g_assert_cmpstr (error->message, ==, "It is a character device, not a regular file");
  g_clear_error (&error);
  /* a table (Save Values) */
  g_assert_false (attn_file_save (table_file, write_nothing, NULL, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  g_assert_cmpstr (error->message, ==, "It is a named pipe (FIFO), not a regular file");
  alarm (0);

  names = attn_test_list_folder (dir);
  g_assert_cmpstr (names, ==, "figure.png folder.png values.tsv");
  attn_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  cli = g_getenv ("ATTNFLOW_CLI");
  if (cli == NULL)
    {
      g_printerr ("ATTNFLOW_CLI is not set\n");
      return 1;
    }
  bert = g_test_build_filename (G_TEST_DIST, "..", "data", "examples", "bert-base-uncased.json", NULL);
  sst2 = g_test_build_filename (G_TEST_DIST, "..", "data", "examples", "sst2-bert.json", NULL);
  tmpdir = attn_test_make_folder ("cli-save");

  g_test_add_func ("/attn/cli/save/output-fifo", test_output_fifo);
  g_test_add_func ("/attn/cli/save/output-proc", test_output_proc);
  g_test_add_func ("/attn/cli/save/output-dir-cannot-be-made", test_output_dir_cannot_be_made);
  g_test_add_func ("/attn/cli/save/output-links", test_output_links);
  g_test_add_func ("/attn/cli/save/output-file-size-limit", test_output_file_size_limit);
  g_test_add_func ("/attn/cli/save/special-in-process", test_save_special_in_process);
  g_test_add_func ("/attn/cli/save/png-too-large-before-compute", test_png_too_large_before_compute);

  status = g_test_run ();

  attn_test_drop_folder (tmpdir);
  g_free (bert);
  g_free (sst2);
  return status;
}
