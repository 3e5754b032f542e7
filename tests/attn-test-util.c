/* attn-test-util.c: helpers the test programs share
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "attn-test-util.h"

/* tests/data/expected/@name, the golden values of an example (kept by
 * @parser) */
JsonObject *
attn_test_load_golden (JsonParser *parser,
                       const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "expected", name, NULL);
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

/* X[@layer - 1][@position][@token] of @golden's @method ("raw", "rollout",
 * "flow"): the importance of input @token for node (@layer, @position) */
double
attn_test_golden (JsonObject *golden,
                  const char *method,
                  guint       layer,
                  guint       position,
                  guint       token)
{
  JsonArray *layers = json_object_get_array_member (golden, method);
  JsonArray *rows = json_array_get_array_element (layers, layer - 1);

  return json_array_get_double_element (json_array_get_array_element (rows, position), token);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The names in the folder @dir, sorted, joined by spaces ("" for none): what
 * a save left there */
char *
attn_test_list_folder (const char *dir)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GDir *listing = g_dir_open (dir, 0, NULL);
  const char *entry;

  g_assert_nonnull (listing);
  while ((entry = g_dir_read_name (listing)) != NULL)
    g_ptr_array_add (names, g_strdup (entry));
  g_dir_close (listing);
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

/* Why @path cannot be made as a save makes it: a folder (@folder, mkdir())
 * or a new file (open() with O_EXCL), which the test asserts fails; the
 * system's message for its errno. In /sys a file and a folder are refused
 * differently: a file with EACCES, a folder, to root, with EPERM (EROFS
 * where /sys is mounted read-only). */
const char *
attn_test_make_cause (const char *path,
                      gboolean    folder)
{
  int fd = folder ? g_mkdir (path, 0700) : g_open (path, O_WRONLY | O_CREAT | O_EXCL, 0600);
  int code = errno;

  g_assert_cmpint (fd, ==, -1);
  return g_strerror (code);
}

/* Removes @path and, if it is a folder, everything in it (a test's temporary folder); a
 * symbolic link is removed, not what it points to. */
void
attn_test_remove_tree (const char *path)
{
  if (!g_file_test (path, G_FILE_TEST_IS_SYMLINK) && g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      GDir *dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          attn_test_remove_tree (child);
        }
      if (dir != NULL)
        g_dir_close (dir);
    }
  g_remove (path);
}

/* A new temporary folder for a test program, "attnflow-NAME-XXXXXX" */
char *
attn_test_make_folder (const char *name)
{
  g_autofree char *template = g_strdup_printf ("attnflow-%s-XXXXXX", name);
  char *folder = g_dir_make_tmp (template, NULL);

  g_assert_nonnull (folder);
  return folder;
}

/* Removes attn_test_make_folder()'s @folder (nullable: none) and all in it
 * (unless ATTN_KEEP_TMP is set, to look at what the tests wrote), and frees it */
void
attn_test_drop_folder (char *folder)
{
  if (folder != NULL && g_getenv ("ATTN_KEEP_TMP") == NULL)
    attn_test_remove_tree (folder);
  g_free (folder);
}

/* Appends @n JSON rows of @n weights that sum to 1, drawn from @rand in
 * [0.1, 1) then normalized, with @digits significant digits:
 * "[w,…],[w,…],…" */
void
attn_test_append_rows (GString *json,
                       GRand   *rand,
                       guint    n,
                       int      digits)
{
  g_autofree double *row = g_new (double, n);

  for (guint q = 0; q < n; q++)
    {
      double sum = 0.;

      for (guint k = 0; k < n; k++)
        sum += row[k] = g_rand_double_range (rand, 0.1, 1.);
      g_string_append (json, q ? ",[" : "[");
      for (guint k = 0; k < n; k++)
        g_string_append_printf (json, "%s%.*g", k ? "," : "", digits, row[k] / sum);
      g_string_append (json, "]");
    }
}

void
attn_test_run_clear (AttnTestRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

/* In the child, before exec: as root, give up CAP_DAC_OVERRIDE, the power
 * to write where a file's mode forbids it. An exec as root takes its
 * capabilities from the bounding and inheritable sets, so it goes from
 * those (and the ambient one); a failure shows as the write that
 * succeeds. */
static void
give_up_dac_override (gpointer user_data)
{
  struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

  if (geteuid () != 0)
    return;
  prctl (PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
  prctl (PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, 0, 0, 0);
  if (syscall (SYS_capget, &header, data) == 0)
    {
      data[CAP_TO_INDEX (CAP_DAC_OVERRIDE)].inheritable &= ~CAP_TO_MASK (CAP_DAC_OVERRIDE);
      syscall (SYS_capset, &header, data);
    }
}

/* The progress lines attnflow-cli writes to a pipe after 3 s of work
 * ("attnflow-cli COMMAND: 42%…"), on a loaded machine only: left out of a
 * run's stderr, so that a test reads the same there (the terminal's
 * progress is tested through a pseudo-terminal, in test-cli-hostile) */
static char *
without_progress (const char *err)
{
  g_autoptr(GRegex) progress = g_regex_new ("^attnflow-cli [a-z]+: [0-9]+%.*\\n", G_REGEX_MULTILINE, 0, NULL);

  return g_regex_replace (progress, err, -1, 0, "", 0, NULL);
}

/* Runs attnflow-cli with the NULL-terminated @args; a run killed by a signal
 * fails the test. */
static void
run_cli (AttnTestRun          *run,
         const char * const   *args,
         GSpawnChildSetupFunc  child_setup)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  const char *cli = g_getenv ("ATTNFLOW_CLI");
  int wait_status;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, child_setup, NULL,
                &run->out, &err, &wait_status, &error);
  g_assert_no_error (error);
  if (!WIFEXITED (wait_status))
    g_error ("attnflow-cli %s was killed by signal %d", args[0], WTERMSIG (wait_status));
  run->status = WEXITSTATUS (wait_status);
  run->err = without_progress (err);
}

/* Runs attnflow-cli with the NULL-terminated @args */
void
attn_test_run_cli_v (AttnTestRun        *run,
                     const char * const *args)
{
  run_cli (run, args, NULL);
}

/* As attn_test_run_cli_v(), as a user whom a folder's mode binds: run as
 * root, without CAP_DAC_OVERRIDE (a 0555 folder does not stop root) */
void
attn_test_run_cli_as_user_v (AttnTestRun        *run,
                             const char * const *args)
{
  run_cli (run, args, give_up_dac_override);
}

/* As attn_test_run_cli_v(), with the arguments listed. */
void
attn_test_run_cli (AttnTestRun *run,
                   const char  *first,
                   ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list list;

  va_start (list, first);
  for (const char *p = first; p != NULL; p = va_arg (list, const char *))
    g_ptr_array_add (args, (gpointer) p);
  va_end (list);
  g_ptr_array_add (args, NULL);

  attn_test_run_cli_v (run, (const char * const *) args->pdata);
}

/* Two long examples (“a” and “b”, @n tokens, 2 layers of 2 heads of
 * uniform attention, model “org/long-model”) in @folder/long.json: at
 * n = 400, their figures at scale 8 are too large for a PNG. Returns the
 * JSON's path. */
char *
attn_test_write_long_export (const char *folder,
                             guint       n)
{
  g_autofree char *npy_path = g_build_filename (folder, "long.npy", NULL);
  char *path = g_build_filename (folder, "long.json", NULL);
  g_autoptr(GString) npy = attn_test_npy_new_float32 (2, 2, n);
  g_autoptr(GString) json = g_string_new ("{\"format\": \"attnflow\", \"version\": 1, \"model\": \"org/long-model\", "
                                          "\"examples\": [");
  gsize count = (gsize) 2 * 2 * n * n;
  g_autofree float *values = g_new (float, count);

  for (gsize i = 0; i < count; i++)
    values[i] = 1.f / n;
  g_string_append_len (npy, (const char *) values, (gssize) (count * sizeof (float)));
  g_assert_true (g_file_set_contents (npy_path, npy->str, (gssize) npy->len, NULL));
  for (guint e = 0; e < 2; e++)
    {
      g_string_append_printf (json, "%s{\"id\": \"%c\", \"focus\": 1, \"attention\": {\"npy\": \"long.npy\"}, "
                              "\"tokens\": [", e ? ", " : "", 'a' + e);
      for (guint i = 0; i < n; i++)
        g_string_append_printf (json, i ? ", \"t%u%c\"" : "\"t%u%c\"", i, 'a' + e);
      g_string_append (json, "]}");
    }
  g_string_append (json, "]}");
  g_assert_true (g_file_set_contents (path, json->str, (gssize) json->len, NULL));
  return path;
}

/* The start of a float32 .npy of shape [@layers][@heads][@n][@n] (format
 * 1.0): its header, padded so that the data (to be appended) starts at a
 * multiple of 64, as numpy does. */
GString *
attn_test_npy_new_float32 (guint layers,
                           guint heads,
                           guint n)
{
  GString *npy = g_string_new_len ("\x93NUMPY\x01\x00", 8);
  g_autofree char *header = g_strdup_printf ("{'descr': '<f4', 'fortran_order': False, "
                                             "'shape': (%u, %u, %u, %u), }", layers, heads, n, n);
  gsize header_length = strlen (header) + 1;

  header_length += (64 - (10 + header_length) % 64) % 64;
  g_string_append_c (npy, (char) (header_length & 0xff));
  g_string_append_c (npy, (char) (header_length >> 8));
  g_string_append (npy, header);
  while (npy->len < 10 + header_length - 1)
    g_string_append_c (npy, ' ');
  g_string_append_c (npy, '\n');
  return npy;
}

/* An AttnMethodLayerFunc or AttnFlowLayerFunc: checks the layers come in
 * order and copies each into its place. */
void
attn_test_collect_layer_cb (guint         layer,
                            const double *values,
                            gpointer      user_data)
{
  AttnTestCollected *c = user_data;
  gsize nn = (gsize) c->n * c->n;

  g_assert_cmpuint (layer, ==, c->next);
  memcpy (c->values + (gsize) (layer - 1) * nn, values, nn * sizeof (double));
  c->next++;
}

/* Writes @path, a copy of the export @source whose example @index has the
 * reference @reference all one value: its ρ with anything is NaN (Spearman's
 * ρ of a constant side is undefined). */
void
attn_test_write_constant_reference (const char *source,
                                    const char *path,
                                    guint       index,
                                    const char *reference)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *example;
  JsonArray *values;

  g_assert_true (json_parser_load_from_file (parser, source, &error));
  g_assert_no_error (error);
  example = json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "examples"),
    index);
  values = json_object_get_array_member (json_object_get_object_member (example, "references"),
                                         reference);
  g_assert_nonnull (values);
  for (guint i = 0; i < json_array_get_length (values); i++)
    json_node_set_double (json_array_get_element (values, i), 0.5);
  json_generator_set_root (generator, json_parser_get_root (parser));
  g_assert_true (json_generator_to_file (generator, path, &error));
  g_assert_no_error (error);
}

/* Appends @len bytes at @data inflated (zlib, a PDF's /FlateDecode) to
 * @out; FALSE (and @out as it was) if they are not zlib data */
static gboolean
inflate_into (GByteArray   *out,
              const guint8 *data,
              gsize         len)
{
  g_autoptr(GZlibDecompressor) zlib = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB);
  guint old = out->len;
  guint8 buffer[16384];
  GConverterResult result;

  do
    {
      gsize read = 0, written = 0;

      result = g_converter_convert (G_CONVERTER (zlib), data, len, buffer, sizeof buffer,
                                    G_CONVERTER_INPUT_AT_END, &read, &written, NULL);
      if (result == G_CONVERTER_ERROR)
        {
          g_byte_array_set_size (out, old);
          return FALSE;
        }
      g_byte_array_append (out, buffer, written);
      data += read;
      len -= read;
    }
  while (result != G_CONVERTER_FINISHED);
  return TRUE;
}

/* A PDF's text to search, from its @len bytes at @contents: those bytes,
 * then each of its streams inflated (a writer may keep its dictionaries,
 * /Info and the pages among them, in compressed object streams), then a
 * NUL */
GByteArray *
attn_test_pdf_text (const char *contents,
                    gsize       len)
{
  GByteArray *text = g_byte_array_new ();

  g_byte_array_append (text, (guint8 *) contents, len);
  for (gsize i = 0; i + 2 < len; i++)
    {
      gsize start, end;

      if (memcmp (contents + i, ">>", 2) != 0)
        continue;
      start = i + 2;
      while (start < len && g_ascii_isspace (contents[start]))
        start++;
      if (start + strlen ("stream") >= len || memcmp (contents + start, "stream", strlen ("stream")) != 0)
        continue;
      start += strlen ("stream");
      start += contents[start] == '\r' ? 2 : 1;
      for (end = start; end + strlen ("endstream") <= len; end++)
        if (memcmp (contents + end, "endstream", strlen ("endstream")) == 0)
          break;
      end = MIN (end, len);
      g_byte_array_append (text, (guint8 *) "\n", 1);
      inflate_into (text, (guint8 *) contents + MIN (start, end), end - MIN (start, end));
      i = end;
    }
  g_byte_array_append (text, (guint8 *) "", 1);
  return text;
}

/* Where the value of the first @key (a name: "/Subject") in @text starts,
 * past blanks; NULL if none */
static const char *
pdf_value (GByteArray *text,
           const char *key)
{
  gsize n = strlen (key);

  for (gsize i = 0; i + n < text->len; i++)
    if (memcmp (text->data + i, key, n) == 0 && text->data[i + n] != '\0'
        && strchr (" \t\r\n([</", text->data[i + n]) != NULL)
      {
        gsize j = i + n;

        while (j < text->len && g_ascii_isspace (text->data[j]))
          j++;
        return j < text->len ? (const char *) text->data + j : NULL;
      }
  return NULL;
}

/* The bytes of a PDF literal string, @p past its "(", up to @end */
static void
pdf_literal (GByteArray *bytes,
             const char *p,
             const char *end)
{
  int depth = 0;

  for (; p < end; p++)
    {
      guint8 c = *p;

      if (c == ')' && depth-- == 0)
        return;
      if (c == '(')
        depth++;
      if (c == '\\' && p + 1 < end)
        {
          const char *escapes = "n\nr\rt\tb\bf\f";
          const char *e = strchr (escapes, *++p);

          if (g_ascii_isdigit (*p))
            {
              c = 0;
              for (int k = 0; k < 3 && p < end && *p >= '0' && *p <= '7'; k++)
                c = c * 8 + (*p++ - '0');
              p--;
            }
          else if (*p == '\r' || *p == '\n')
            {
              p += *p == '\r' && p + 1 < end && p[1] == '\n';
              continue;
            }
          else
            c = e != NULL && (e - escapes) % 2 == 0 ? e[1] : *p;
        }
      g_byte_array_append (bytes, &c, 1);
    }
}

/* The text (UTF-8) of the string under @key ("/Subject") in @text (from
 * attn_test_pdf_text()), literal or in hex, UTF-16BE (after a byte order
 * mark) or not; NULL if there is none */
char *
attn_test_pdf_string (GByteArray *text,
                      const char *key)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  const char *p = pdf_value (text, key);
  const char *end = (const char *) text->data + text->len;

  if (p == NULL)
    return NULL;
  if (*p == '(')
    pdf_literal (bytes, p + 1, end);
  else if (*p == '<')
    {
      for (p++; p + 1 < end && *p != '>'; p++)
        if (g_ascii_isxdigit (p[0]) && g_ascii_isxdigit (p[1]))
          {
            guint8 byte = g_ascii_xdigit_value (p[0]) << 4 | g_ascii_xdigit_value (p[1]);

            g_byte_array_append (bytes, &byte, 1);
            p++;
          }
    }
  else
    return NULL;
  if (bytes->len >= 2 && bytes->data[0] == 0xFE && bytes->data[1] == 0xFF)
    return g_convert ((const char *) bytes->data + 2, bytes->len - 2, "UTF-8", "UTF-16BE", NULL, NULL, NULL);
  return g_strndup ((const char *) bytes->data, bytes->len);
}

/* The @n numbers of the array under @key ("/MediaBox") in @text (from
 * attn_test_pdf_text()), into @values: FALSE if there are not @n */
gboolean
attn_test_pdf_numbers (GByteArray *text,
                       const char *key,
                       double     *values,
                       guint       n)
{
  const char *p = pdf_value (text, key);

  if (p == NULL || *p++ != '[')
    return FALSE;
  for (guint k = 0; k < n; k++)
    {
      char *after;

      while (g_ascii_isspace (*p))
        p++;
      values[k] = g_ascii_strtod (p, &after);
      if (after == p)
        return FALSE;
      p = after;
    }
  while (g_ascii_isspace (*p))
    p++;
  return *p == ']';
}

/* Makes ko_KR.UTF-8 at @path with localedef (the `locales` package
 * install-deps.sh installs) */
static void
make_korean_locale (const char *path)
{
  const char *argv[] = { "localedef", "-i", "ko_KR", "-f", "UTF-8", path, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                               NULL, NULL, NULL, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("no ko_KR.UTF-8 locale, and localedef could not make one (install the locales package): %s", err);
}

/* The ko_KR.UTF-8 the test programs of a build share, made once in
 * $G_TEST_BUILDDIR/ko-locale (localedef takes most of a second of CPU, and
 * the Korean tests asked for it 14 times a run); NULL without
 * G_TEST_BUILDDIR (or with it empty) */
static char *
shared_korean_locale (void)
{
  const char *builddir = g_getenv ("G_TEST_BUILDDIR");
  g_autofree char *parent = NULL;
  g_autofree char *making = NULL;
  g_autofree char *made = NULL;
  char *shared;

  if (builddir == NULL || *builddir == '\0')
    return NULL;
  parent = g_build_filename (builddir, "ko-locale", NULL);
  shared = g_build_filename (parent, "ko_KR.UTF-8", NULL);
  if (g_file_test (shared, G_FILE_TEST_IS_DIR))
    return shared;
  /* made beside it, then renamed into place: a test program running at the
   * same time finds it whole or not at all, and the second made is dropped */
  g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
  making = g_build_filename (parent, "making-XXXXXX", NULL);
  g_assert_nonnull (g_mkdtemp (making));
  made = g_build_filename (making, "ko_KR.UTF-8", NULL);
  make_korean_locale (made);
  if (g_rename (made, shared) != 0)
    g_assert_true (g_file_test (shared, G_FILE_TEST_IS_DIR));
  attn_test_remove_tree (making);
  return shared;
}

/* A new folder holding ko_KR.UTF-8 (a link to the build's shared one, else
 * made with localedef), for LOCPATH where the system has no Korean locale,
 * which the caller removes with attn_test_remove_tree(); NULL where the
 * system has one */
char *
attn_test_korean_locpath (void)
{
  g_autofree char *saved = g_strdup (setlocale (LC_ALL, NULL));
  gboolean have = setlocale (LC_ALL, "ko_KR.UTF-8") != NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *shared = NULL;

  setlocale (LC_ALL, saved);
  if (have)
    return NULL;
  dir = g_dir_make_tmp ("attnflow-locale-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "ko_KR.UTF-8", NULL);
  shared = shared_korean_locale ();
  if (shared != NULL)
    g_assert_cmpint (symlink (shared, path), ==, 0);
  else
    make_korean_locale (path);
  return g_steal_pointer (&dir);
}
