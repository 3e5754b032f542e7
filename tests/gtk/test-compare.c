/* test-compare.c: the compare window on a file of many examples: rows are made
 * for the examples in view only, and any two of them compare
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <string.h>

#include "attn-compare-window-private.h"
#include "attn-evaluation-window.h"
#include "attn-figure-view.h"
#include "attn-preferences-window.h"
#include "attn-window-private.h"

#include "attn-test-util.h"
#include "gtk-test-util.h"

#define MANY 20000
#define TOKENS 5
/* GTK 4.8's list view keeps at most 200 rows (GTK_LIST_VIEW_MAX_LIST_ITEMS)
 * and a few more around them */
#define MAX_ROWS 250

static char *tmpdir;

/* A file of @n examples of 5 tokens, one layer and one head (fixed seed),
 * each with a sentence */
static char *
write_many (guint n)
{
  g_autoptr(GString) json = g_string_new ("{\"format\":\"attnflow\",\"version\":1,\"examples\":[");
  char *path = g_build_filename (tmpdir, "many.json", NULL);
  GRand *rand = g_rand_new_with_seed (n);

  for (guint e = 0; e < n; e++)
    {
      g_string_append_printf (json, "%s{\"id\":\"e%05u\",\"text\":\"sentence number %u of the many\","
                              "\"tokens\":[\"[CLS]\",\"a%u\",\"b\",\"c\",\"[SEP]\"],\"attention\":[[",
                              e ? "," : "", e, e, e);
      attn_test_append_rows (json, rand, TOKENS, 9);
      g_string_append (json, "]]}");
    }
  g_string_append (json, "]}");
  g_rand_free (rand);
  g_assert_true (g_file_set_contents (path, json->str, json->len, NULL));
  return path;
}

static gboolean
compare_idle (gpointer data)
{
  return gtk_widget_get_mapped (data) && !attn_compare_window_is_busy (data);
}

static void
settle (AttnCompareWindow *compare)
{
  attn_gtk_test_wait_until (compare_idle, compare);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The check buttons under @widget: how many, and the one titled "… — @id" */
static guint
find_rows (GtkWidget  *widget,
           const char *id,
           GtkWidget **found)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_CHECK_BUTTON (child))
        {
          GtkWidget *box = gtk_check_button_get_child (GTK_CHECK_BUTTON (child));
          const char *title = gtk_label_get_text (GTK_LABEL (gtk_widget_get_first_child (box)));

          n++;
          if (g_str_has_suffix (title, id))
            *found = child;
        }
      else
        n += find_rows (child, id, found);
    }
  return n;
}

static gboolean
has_substring (const char *text,
               const char *part)
{
  return strstr (text, part) != NULL;
}

/* 20,000 examples: a bounded number of rows, the first and the last compared */
static void
test_many_examples (void)
{
  g_autofree char *path = write_many (MANY);
  AttnWindow *window = attn_gtk_test_open_file (path);
  AttnCompareWindow *compare;
  GtkWidget *list_view, *row = NULL;
  AttnFigure *figure;
  guint n_rows;

  attn_gtk_test_wait_until (attn_gtk_test_example_open, window);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.compare", NULL);
  compare = attn_gtk_test_find_toplevel (ATTN_TYPE_COMPARE_WINDOW);
  g_assert_nonnull (compare);
  g_assert_cmpuint (g_list_model_get_n_items (attn_compare_window_get_shown (compare)), ==, MANY);
  g_assert_cmpuint (attn_compare_window_get_n_checked (compare), ==, 2);
  g_assert_true (attn_compare_window_get_checked (compare, 0));
  g_assert_true (attn_compare_window_get_checked (compare, 1));
  settle (compare);

  n_rows = find_rows (GTK_WIDGET (compare), "— e00000", &row);
  g_test_message ("%u rows for %u examples", n_rows, MANY);
  g_assert_cmpuint (n_rows, >=, 5);
  g_assert_cmpuint (n_rows, <=, MAX_ROWS);
  g_assert_nonnull (row);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (row)));
  figure = attn_compare_window_get_figure (compare);
  g_assert_nonnull (figure);
  g_assert_true (has_substring (attn_figure_get_title (figure), "e00000, e00001"));

  /* the first and the last */
  attn_compare_window_set_checked (compare, 1, FALSE);
  attn_compare_window_set_checked (compare, MANY - 1, TRUE);
  g_assert_cmpuint (attn_compare_window_get_n_checked (compare), ==, 2);
  settle (compare);
  figure = attn_compare_window_get_figure (compare);
  g_assert_nonnull (figure);
  g_test_message ("%s", attn_figure_get_title (figure));
  g_assert_true (has_substring (attn_figure_get_title (figure), "e00000, e19999"));

  /* the last row, scrolled to, shows it checked; still few rows */
  list_view = attn_gtk_test_find_descendant (GTK_WIDGET (compare), GTK_TYPE_LIST_VIEW, TRUE);
  g_assert_nonnull (list_view);
  gtk_widget_activate_action (list_view, "list.scroll-to-item", "u", MANY - 1);
  settle (compare);
  row = NULL;
  n_rows = find_rows (GTK_WIDGET (compare), "— e19999", &row);
  g_assert_cmpuint (n_rows, <=, MAX_ROWS);
  g_assert_nonnull (row);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (row)));
  g_assert_true (gtk_widget_get_sensitive (row));

  /* four checked: the other rows are disabled */
  attn_compare_window_set_checked (compare, MANY - 2, TRUE);
  attn_compare_window_set_checked (compare, MANY - 3, TRUE);
  settle (compare);
  find_rows (GTK_WIDGET (compare), "— e19996", &row);
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (row)));
  g_assert_false (gtk_widget_get_sensitive (row));
  attn_compare_window_set_checked (compare, MANY - 3, FALSE);
  settle (compare);
  g_assert_true (gtk_widget_get_sensitive (row));

  /* activating a row (Space) toggles it, and the comparison follows */
  find_rows (GTK_WIDGET (compare), "— e19998", &row);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (row)));
  gtk_widget_activate (row);
  g_assert_false (attn_compare_window_get_checked (compare, MANY - 2));
  find_rows (GTK_WIDGET (compare), "— e19999", &row);
  gtk_widget_activate (row);
  g_assert_false (attn_compare_window_get_checked (compare, MANY - 1));
  g_assert_cmpuint (attn_compare_window_get_n_checked (compare), ==, 1);
  settle (compare);
  g_assert_null (attn_compare_window_get_figure (compare));
  gtk_widget_activate (row);
  g_assert_true (attn_compare_window_get_checked (compare, MANY - 1));
  settle (compare);
  g_assert_true (has_substring (attn_figure_get_title (attn_compare_window_get_figure (compare)),
                                "e00000, e19999"));

  gtk_window_destroy (GTK_WINDOW (compare));

  /* from the last example: it and the one before, in view */
  compare = ATTN_COMPARE_WINDOW (attn_compare_window_new (GTK_WINDOW (window), window->documents,
                                                          MANY - 1, ATTN_METHOD_ROLLOUT));
  gtk_window_present (GTK_WINDOW (compare));
  g_assert_cmpuint (attn_compare_window_get_n_checked (compare), ==, 2);
  g_assert_true (attn_compare_window_get_checked (compare, MANY - 2));
  g_assert_true (attn_compare_window_get_checked (compare, MANY - 1));
  settle (compare);
  row = NULL;
  g_assert_cmpuint (find_rows (GTK_WIDGET (compare), "— e19999", &row), <=, MAX_ROWS);
  g_assert_nonnull (row);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (row)));
  g_assert_true (has_substring (attn_figure_get_title (attn_compare_window_get_figure (compare)),
                                "e19998, e19999"));
  gtk_window_destroy (GTK_WINDOW (compare));

  attn_gtk_test_close_window (window);
}

/* A file's Korean sentences wrap between words in the list, as the
 * window's messages do: Pango alone breaks between any two syllables */
static void
test_korean_sentences (void)
{
  static const char *sentence = "저자는 사라에게 자신의 책에 대해 이야기했고 사라는 그 이야기를 아주 오랫동안 기억했습니다";
  g_autoptr(GString) json = g_string_new ("{\"format\":\"attnflow\",\"version\":1,\"examples\":[");
  g_autofree char *path = g_build_filename (tmpdir, "korean.json", NULL);
  GRand *rand = g_rand_new_with_seed (7);
  AttnWindow *window;
  AttnCompareWindow *compare;
  GtkWidget *row = NULL, *label;
  g_autoptr(PangoLayout) layout = NULL;
  int lines = 0;

  for (guint e = 0; e < 2; e++)
    {
      g_string_append_printf (json, "%s{\"id\":\"ko-%u\",\"text\":\"%s\",\"tokens\":[\"[CLS]\",\"저자\",\"책\","
                              "\"사라\",\"[SEP]\"],\"attention\":[[", e ? "," : "", e, sentence);
      attn_test_append_rows (json, rand, TOKENS, 9);
      g_string_append (json, "]]}");
    }
  g_string_append (json, "]}");
  g_rand_free (rand);
  g_assert_true (g_file_set_contents (path, json->str, json->len, NULL));

  window = attn_gtk_test_open_file (path);
  attn_gtk_test_wait_until (attn_gtk_test_example_open, window);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.compare", NULL);
  compare = attn_gtk_test_find_toplevel (ATTN_TYPE_COMPARE_WINDOW);
  g_assert_nonnull (compare);
  settle (compare);
  find_rows (GTK_WIDGET (compare), "— ko-1", &row);
  g_assert_nonnull (row);
  label = gtk_widget_get_last_child (gtk_check_button_get_child (GTK_CHECK_BUTTON (row)));
  g_assert_true (has_substring (gtk_label_get_text (GTK_LABEL (label)), sentence));
  /* it wraps at the row's whole width (beside the check box), not at the
   * narrower width a wrapping label asks for: it reaches the row's end */
  {
    graphene_rect_t bounds;

    g_assert_true (gtk_widget_compute_bounds (label, row, &bounds));
    g_test_message ("row %d px, sentence %g to %g px", gtk_widget_get_width (row), bounds.origin.x,
                    bounds.origin.x + bounds.size.width);
    g_assert_cmpfloat (bounds.origin.x + bounds.size.width, >=, gtk_widget_get_width (row) - 1);
  }

  /* the row's sentence, laid out as GTK lays it out, at widths a list has */
  layout = gtk_widget_create_pango_layout (label, gtk_label_get_text (GTK_LABEL (label)));
  pango_layout_set_attributes (layout, gtk_label_get_attributes (GTK_LABEL (label)));
  pango_layout_set_wrap (layout, gtk_label_get_wrap_mode (GTK_LABEL (label)));
  for (int w = 120; w <= 400; w += 20)
    {
      pango_layout_set_width (layout, w * PANGO_SCALE);
      lines = MAX (lines, attn_gtk_test_assert_lines_start_after_spaces (layout, w));
    }
  g_assert_cmpint (lines, >, 2);
  gtk_window_destroy (GTK_WINDOW (compare));
  attn_gtk_test_close_window (window);
}

/* A row's title "file — id" wraps, at the widths a list has, after a space
 * or a hyphen of its own, never inside a word (where Pango puts a hyphen of
 * its own): it broke as "pronouns-masked-minilm.js-" / "on — author-mask"
 * (found by QA) */
static void
test_title_breaks (void)
{
  AttnWindow *window = attn_gtk_test_open_bundled ();
  AttnCompareWindow *compare;
  GtkWidget *row = NULL, *label, *entry;
  g_autoptr(PangoLayout) layout = NULL;
  const char *text;
  int lines = 0;

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 600);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.compare", NULL);
  compare = attn_gtk_test_find_toplevel (ATTN_TYPE_COMPARE_WINDOW);
  g_assert_nonnull (compare);
  entry = attn_gtk_test_find_descendant (GTK_WIDGET (compare), GTK_TYPE_SEARCH_ENTRY, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (entry), "author-mask");
  attn_gtk_test_wait_until (compare_idle, compare);
  settle (compare);
  find_rows (GTK_WIDGET (compare), "— author-mask", &row);
  g_assert_nonnull (row);
  label = gtk_widget_get_first_child (gtk_check_button_get_child (GTK_CHECK_BUTTON (row)));
  text = gtk_label_get_text (GTK_LABEL (label));
  g_assert_cmpstr (text, ==, "pronouns-masked-minilm.json — author-mask");

  layout = gtk_widget_create_pango_layout (label, text);
  pango_layout_set_attributes (layout, gtk_label_get_attributes (GTK_LABEL (label)));
  pango_layout_set_wrap (layout, gtk_label_get_wrap_mode (GTK_LABEL (label)));
  for (int w = 100; w <= 400; w += 10)
    {
      pango_layout_set_width (layout, w * PANGO_SCALE);
      for (int i = 1; i < pango_layout_get_line_count (layout); i++)
        {
          int start = pango_layout_get_line_readonly (layout, i)->start_index;
          gunichar before = g_utf8_get_char (g_utf8_prev_char (text + start));

          if (before != ' ' && before != '-')
            g_error ("%d px: line %d starts inside a word: “%s”", w, i + 1, text + start);
        }
      lines = MAX (lines, pango_layout_get_line_count (layout));
    }
  g_assert_cmpint (lines, >=, 3);
  /* at the row's width: "pronouns-masked-" / "minilm.json — author-mask" */
  {
    PangoLayout *shown = gtk_label_get_layout (GTK_LABEL (label));

    g_test_message ("row %d px: %d lines", gtk_widget_get_width (row), pango_layout_get_line_count (shown));
    g_assert_cmpint (pango_layout_get_line_count (shown), >, 1);
    for (int i = 1; i < pango_layout_get_line_count (shown); i++)
      {
        int start = pango_layout_get_line_readonly (shown, i)->start_index;

        g_assert_true (text[start - 1] == ' ' || text[start - 1] == '-');
      }
  }
  gtk_window_destroy (GTK_WINDOW (compare));
  attn_gtk_test_close_window (window);
}

/* The position of the example @id over all the window's documents */
static guint
find_example (AttnWindow *window,
              const char *id)
{
  guint offset = 0;

  for (guint d = 0; d < window->documents->len; d++)
    {
      AttnDocument *document = g_ptr_array_index (window->documents, d);

      for (guint i = 0; i < attn_document_get_n_examples (document); i++)
        if (g_str_equal (attn_example_get_id (attn_document_get_example (document, i)), id))
          return offset + i;
      offset += attn_document_get_n_examples (document);
    }
  g_assert_not_reached ();
}

/* A comparison of @a and @b alone, its figure built */
static AttnCompareWindow *
compare_two (AttnWindow *window,
             guint       a,
             guint       b)
{
  AttnCompareWindow *compare = ATTN_COMPARE_WINDOW (attn_compare_window_new (GTK_WINDOW (window),
                                                                             window->documents, a,
                                                                             ATTN_METHOD_ROLLOUT));

  gtk_window_present (GTK_WINDOW (compare));
  attn_compare_window_set_checked (compare, b, TRUE);
  for (guint i = 0; i < g_list_model_get_n_items (attn_compare_window_get_shown (compare)); i++)
    if (i != a && i != b)
      attn_compare_window_set_checked (compare, i, FALSE);
  settle (compare);
  return compare;
}

/* A key changed in the settings: the comparison builds its figure again */
static AttnFigure *
refigure (AttnCompareWindow *compare)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
  settle (compare);
  g_assert_nonnull (attn_compare_window_get_figure (compare));
  g_test_message ("%s", attn_figure_get_caption (attn_compare_window_get_figure (compare)));
  return attn_compare_window_get_figure (compare);
}

/* An open comparison follows the main window's layer range, clamped to its
 * examples' layers, its colour map and whether special tokens are left out
 * of the scale: it kept those it was opened with (found by QA) */
static void
test_follows_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  AttnWindow *window = attn_gtk_test_open_bundled ();
  AttnCompareWindow *compare;
  AttnFigure *figure;
  AttnRect rect;

  compare = compare_two (window, find_example (window, "cat-mat"), find_example (window, "rabbit-turtle"));
  figure = attn_compare_window_get_figure (compare);
  g_assert_nonnull (figure);
  g_assert_true (has_substring (attn_figure_get_caption (figure), "· layers 1–12 ·"));

  /* 9 up to the model's last layer */
  g_settings_set_uint (settings, "layer-min", 9);
  figure = refigure (compare);
  g_assert_true (has_substring (attn_figure_get_caption (figure), "· layers 9–12 ·"));
  g_assert_false (attn_figure_get_cell (figure, 0, 8, 0, &rect));
  g_assert_true (attn_figure_get_cell (figure, 0, 9, 0, &rect));
  g_assert_true (attn_figure_get_cell (figure, 0, 12, 0, &rect));
  g_settings_set_uint (settings, "layer-max", 10);
  figure = refigure (compare);
  g_assert_true (has_substring (attn_figure_get_caption (figure), "· layers 9–10 ·"));
  g_assert_false (attn_figure_get_cell (figure, 0, 11, 0, &rect));
  /* a range above the model: its last layer */
  g_settings_set_uint (settings, "layer-min", 14);
  g_settings_set_uint (settings, "layer-max", 20);
  figure = refigure (compare);
  g_assert_true (has_substring (attn_figure_get_caption (figure), "· layer 12 ·"));
  g_assert_true (attn_figure_get_cell (figure, 0, 12, 0, &rect));
  g_assert_false (attn_figure_get_cell (figure, 0, 11, 0, &rect));

  g_settings_set_string (settings, "colormap", "magma");
  figure = refigure (compare);
  g_assert_true (attn_figure_get_style (figure)->colormap == attn_colormap_from_name ("magma"));
  g_assert_false (attn_figure_get_style (figure)->exclude_special);
  g_settings_set_boolean (settings, "exclude-special", TRUE);
  figure = refigure (compare);
  g_assert_true (attn_figure_get_style (figure)->exclude_special);

  g_settings_reset (settings, "layer-min");
  g_settings_reset (settings, "layer-max");
  g_settings_reset (settings, "colormap");
  g_settings_reset (settings, "exclude-special");
  gtk_window_destroy (GTK_WINDOW (compare));
  attn_gtk_test_close_window (window);
}

/* The figure's note, why it has no difference heatmap, is said once: in
 * the figure, which carries it into the files saved (a label under the
 * list said it again) */
static void
test_note_once (void)
{
  AttnWindow *window = attn_gtk_test_open_bundled ();
  guint cat = find_example (window, "cat-mat"), rabbit = find_example (window, "rabbit-turtle");
  AttnCompareWindow *compare = compare_two (window, cat, rabbit);
  const char *note = attn_figure_get_note (attn_compare_window_get_figure (compare));

  g_assert_nonnull (note);
  g_test_message ("%s", note);
  g_assert_true (g_str_has_prefix (note, "No difference heatmap: the first two examples have different lengths"));
  g_assert_null (attn_gtk_test_find_widget (GTK_WIDGET (compare), attn_gtk_test_is_label_reading, note));

  gtk_window_destroy (GTK_WINDOW (compare));
  attn_gtk_test_close_window (window);
}

/* Examples of two models (12 layers and 6) cannot share a figure: the
 * message says what to do, not only that it cannot be; unticking one
 * model's examples gives the figure */
static void
test_depths_differ (void)
{
  AttnWindow *window = attn_gtk_test_open_bundled ();
  guint cat = find_example (window, "cat-mat"), his = find_example (window, "author-his");
  AttnCompareWindow *compare = compare_two (window, cat, his);

  g_assert_null (attn_compare_window_get_figure (compare));
  g_assert_cmpstr (_attn_compare_window_get_message (compare), ==,
                   "Examples “cat-mat” (12 layers) and “author-his” (6 layers) cannot share one figure: "
                   "untick the examples of one of the two models");
  attn_compare_window_set_checked (compare, find_example (window, "author-her"), TRUE);
  settle (compare);
  g_assert_null (attn_compare_window_get_figure (compare));
  g_assert_true (g_str_has_suffix (_attn_compare_window_get_message (compare),
                                   "untick the examples of one of the two models"));
  attn_compare_window_set_checked (compare, cat, FALSE);
  settle (compare);
  g_assert_nonnull (attn_compare_window_get_figure (compare));
  g_assert_null (_attn_compare_window_get_message (compare));

  gtk_window_destroy (GTK_WINDOW (compare));
  attn_gtk_test_close_window (window);
}

/* The examples are compared in the order they were checked: an example
 * added to a minimal pair comes after it, and the pair keeps its
 * difference heatmap (in the list's order, author-her, above the pair,
 * came first, and the figure said the first two differ in length) */
static void
test_checked_order (void)
{
  AttnWindow *window = attn_gtk_test_open_bundled ();
  guint big = find_example (window, "trophy-big"), small = find_example (window, "trophy-small");
  AttnCompareWindow *compare = compare_two (window, big, small);
  AttnFigure *figure;

  g_assert_null (attn_figure_get_note (attn_compare_window_get_figure (compare)));
  g_assert_true (has_substring (attn_figure_get_title (attn_compare_window_get_figure (compare)),
                                "trophy-big, trophy-small"));
  g_assert_cmpuint (find_example (window, "author-her"), <, big);
  attn_compare_window_set_checked (compare, find_example (window, "author-her"), TRUE);
  settle (compare);
  figure = attn_compare_window_get_figure (compare);
  g_assert_nonnull (figure);
  g_test_message ("%s", attn_figure_get_title (figure));
  g_assert_true (has_substring (attn_figure_get_title (figure), "trophy-big, trophy-small, author-her"));
  g_assert_null (attn_figure_get_note (figure));
  /* unchecked and checked again, an example goes last */
  attn_compare_window_set_checked (compare, big, FALSE);
  attn_compare_window_set_checked (compare, big, TRUE);
  settle (compare);
  g_assert_true (has_substring (attn_figure_get_title (attn_compare_window_get_figure (compare)),
                                "trophy-small, author-her, trophy-big"));

  gtk_window_destroy (GTK_WINDOW (compare));
  attn_gtk_test_close_window (window);
}

/* A comparison being computed says so in place of the figure it replaces
 * (the old one stayed for seconds, that of the method before; found by
 * QA), then shows the new one */
static void
test_computing_message (void)
{
  AttnWindow *window = attn_gtk_test_open_bundled ();
  guint cat = find_example (window, "cat-mat"), rabbit = find_example (window, "rabbit-turtle");
  AttnCompareWindow *compare = compare_two (window, cat, rabbit);

  g_assert_null (_attn_compare_window_get_message (compare));
  /* the figure before stays while a comparison starts: a quick one is
   * shown without a message flashing over it */
  attn_compare_window_set_checked (compare, find_example (window, "sst2-0551"), TRUE);
  g_assert_true (attn_compare_window_is_busy (compare));
  g_assert_null (_attn_compare_window_get_message (compare));
  g_assert_nonnull (attn_compare_window_get_figure (compare));
  settle (compare);
  g_assert_null (_attn_compare_window_get_message (compare));
  attn_compare_window_set_checked (compare, find_example (window, "sst2-0551"), FALSE);
  settle (compare);
  /* at once (a build may finish before a timeout is run) */
  _attn_compare_window_set_computing_delay (compare, 0);
  attn_compare_window_set_checked (compare, find_example (window, "sst2-0551"), TRUE);
  g_assert_true (attn_compare_window_is_busy (compare));
  g_assert_cmpstr (_attn_compare_window_get_message (compare), ==, "Computing the comparison…");
  settle (compare);
  g_assert_null (_attn_compare_window_get_message (compare));
  g_assert_nonnull (attn_compare_window_get_figure (compare));

  gtk_window_destroy (GTK_WINDOW (compare));
  attn_gtk_test_close_window (window);
}

/* Whether @widget's class binds Ctrl+S to the action @name */
static gboolean
binds_ctrl_s (GtkWidget  *widget,
              const char *name)
{
  g_autoptr(GPtrArray) shortcuts = attn_gtk_test_get_shortcuts (widget);

  for (guint i = 0; i < shortcuts->len; i++)
    {
      GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (g_ptr_array_index (shortcuts, i));
      GtkShortcutAction *action = gtk_shortcut_get_action (g_ptr_array_index (shortcuts, i));

      if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
          gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == GDK_KEY_s &&
          gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == GDK_CONTROL_MASK &&
          GTK_IS_NAMED_ACTION (action) &&
          g_strcmp0 (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)), name) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The button that runs @action in @widget */
static gboolean
runs_action (GtkWidget     *widget,
             gconstpointer  action)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0;
}

/* Ctrl+S does what Save… does (the action both run), and not while there
 * is no figure; Escape in the search clears it (neither key did anything;
 * found by QA). The file chooser itself is not opened: GTK's keeps
 * allocations of the libraries it loads until exit, which the sanitizer
 * reports. */
static void
test_keys (void)
{
  AttnWindow *window = attn_gtk_test_open_bundled ();
  guint cat = find_example (window, "cat-mat"), rabbit = find_example (window, "rabbit-turtle");
  AttnCompareWindow *compare = compare_two (window, cat, rabbit);
  GtkWidget *save = attn_gtk_test_find_widget (GTK_WIDGET (compare), runs_action, "compare.save");
  GtkWidget *entry;

  g_assert_true (binds_ctrl_s (GTK_WIDGET (compare), "compare.save"));
  g_assert_nonnull (save);
  g_assert_true (gtk_widget_get_sensitive (save));
  /* one example: nothing to save */
  attn_compare_window_set_checked (compare, rabbit, FALSE);
  settle (compare);
  g_assert_false (gtk_widget_get_sensitive (save));
  g_assert_false (attn_gtk_test_press_key (GTK_WIDGET (compare), GDK_KEY_s, GDK_CONTROL_MASK));
  g_assert_null (attn_gtk_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG));

  entry = attn_gtk_test_find_descendant (GTK_WIDGET (compare), GTK_TYPE_SEARCH_ENTRY, TRUE);
  g_assert_nonnull (entry);
  /* Ctrl+F goes to the search, and typing in the window searches (QA found
   * the search reached by Tab only) */
  g_assert_true (attn_gtk_test_press_key (GTK_WIDGET (compare), GDK_KEY_f, GDK_CONTROL_MASK));
  g_assert_true (gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (compare)), entry));
  g_assert_true (gtk_search_entry_get_key_capture_widget (GTK_SEARCH_ENTRY (entry)) == GTK_WIDGET (compare));
  gtk_editable_set_text (GTK_EDITABLE (entry), "sara");
  g_assert_true (attn_gtk_test_press_key (entry, GDK_KEY_Escape, 0));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");

  /* a search typed with the focus elsewhere: Escape in the window clears
   * it (it closed the window), and pressed again closes the window */
  gtk_widget_grab_focus (save);
  gtk_editable_set_text (GTK_EDITABLE (entry), "sara");
  g_assert_true (attn_gtk_test_press_key (GTK_WIDGET (compare), GDK_KEY_Escape, 0));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (compare)));
  {
    gpointer weak = compare;

    g_object_add_weak_pointer (G_OBJECT (compare), &weak);
    g_assert_true (attn_gtk_test_press_key (GTK_WIDGET (compare), GDK_KEY_Escape, 0));
    attn_gtk_test_wait_until (attn_gtk_test_is_null, &weak);
  }
  attn_gtk_test_close_window (window);
}

/* @text typed into the search, and Enter at once (within the search
 * entry's delay) */
static void
search_and_enter (GtkWidget  *entry,
                  const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_signal_emit_by_name (entry, "activate");
}

/* Enter in the search ticks the example it matches, or unticks it: the
 * first whose names hold the words, as in the picker; none beyond four
 * (Enter did nothing: "trophy big" showed trophy-big, left unticked; found
 * by QA) */
static void
test_enter_ticks (void)
{
  AttnWindow *window = attn_gtk_test_open_bundled ();
  guint author_his = find_example (window, "author-his"), author_her = find_example (window, "author-her");
  guint sara_her = find_example (window, "sara-her"), big = find_example (window, "trophy-big");
  guint small = find_example (window, "trophy-small");
  AttnCompareWindow *compare = compare_two (window, author_his, author_her);
  GtkWidget *entry = attn_gtk_test_find_descendant (GTK_WIDGET (compare), GTK_TYPE_SEARCH_ENTRY, TRUE);

  g_assert_cmpuint (attn_compare_window_get_n_checked (compare), ==, 2);
  search_and_enter (entry, "trophy big");
  g_assert_true (attn_compare_window_get_checked (compare, big));
  g_assert_false (attn_compare_window_get_checked (compare, small));
  g_assert_cmpuint (attn_compare_window_get_n_checked (compare), ==, 3);
  settle (compare);
  g_assert_true (has_substring (attn_figure_get_title (attn_compare_window_get_figure (compare)),
                                "author-his, author-her, trophy-big"));
  /* its row, in view, shows it ticked */
  {
    GtkWidget *row = NULL;

    find_rows (GTK_WIDGET (compare), "trophy-big", &row);
    g_assert_nonnull (row);
    g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (row)));
  }
  /* again: unticked, as Space on its row does */
  g_signal_emit_by_name (entry, "activate");
  g_assert_false (attn_compare_window_get_checked (compare, big));
  g_assert_cmpuint (attn_compare_window_get_n_checked (compare), ==, 2);

  /* author-her's sentence names Sara too, and comes first */
  search_and_enter (entry, "sara her");
  g_assert_true (attn_compare_window_get_checked (compare, sara_her));
  g_assert_true (attn_compare_window_get_checked (compare, author_her));
  g_assert_cmpuint (attn_compare_window_get_n_checked (compare), ==, 3);
  /* words of sentences alone: the first match */
  search_and_enter (entry, "trophy suitcase");
  g_assert_true (attn_compare_window_get_checked (compare, MIN (big, small)));
  g_assert_cmpuint (attn_compare_window_get_n_checked (compare), ==, 4);
  /* a fifth is refused; no match, no word: nothing */
  search_and_enter (entry, "trophy small");
  g_assert_false (attn_compare_window_get_checked (compare, small));
  search_and_enter (entry, "no such example");
  search_and_enter (entry, "  ");
  g_assert_cmpuint (attn_compare_window_get_n_checked (compare), ==, 4);
  settle (compare);
  gtk_window_destroy (GTK_WINDOW (compare));
  attn_gtk_test_close_window (window);
}

/* Ctrl+Q in @window, one of the application's: it closes, and so does @main */
static void
quit_from (GtkWindow  *window,
           AttnWindow *main)
{
  gpointer weak = window, weak_main = main;

  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  g_object_add_weak_pointer (G_OBJECT (main), &weak_main);
  g_assert_true (gtk_window_get_application (window) == gtk_window_get_application (GTK_WINDOW (main)));
  /* held as GTK holds it through the key's event: it outlives @main, and
   * lets go of it first (it let go of freed memory) */
  g_object_ref (window);
  g_assert_true (attn_gtk_test_press_key (GTK_WIDGET (window), GDK_KEY_q, GDK_CONTROL_MASK));
  attn_gtk_test_wait_until (attn_gtk_test_is_null, &weak_main);
  g_object_unref (window);
  attn_gtk_test_wait_until (attn_gtk_test_is_null, &weak);
}

/* The comparison and the preferences are the application's windows: Ctrl+Q
 * quits from them as from the main window (it did nothing there) */
static void
test_quit_keys (void)
{
  AttnWindow *window = attn_gtk_test_app_window ();
  AttnCompareWindow *compare;
  GtkWindow *preferences = attn_preferences_window_new (GTK_WINDOW (window));

  gtk_window_present (preferences);
  quit_from (preferences, window);

  window = attn_gtk_test_app_window ();
  attn_window_open_bundled (window);
  attn_gtk_test_wait_idle (window);
  compare = compare_two (window, find_example (window, "cat-mat"), find_example (window, "rabbit-turtle"));
  quit_from (GTK_WINDOW (compare), window);
}

/* For attn_gtk_test_wait_until(): @data, a window, has the keyboard (taken
 * again when another test's window beside this one took it) */
static gboolean
takes_keyboard (gpointer data)
{
  if (!gtk_window_is_active (data))
    gtk_window_present (data);
  return gtk_window_is_active (data);
}

/* The question whether to replace a file closed, the comparison has the
 * keyboard again: under X11 without a window manager the focus fell to the
 * root window, and Escape then reached the window under the pointer, or none
 * (found by QA after a file dialog, which gives it back the same way; the
 * file chooser itself is not opened: GTK's keeps allocations of the libraries
 * it loads until exit, which the sanitizer reports). Tried up to five times,
 * as another test's window may take the keyboard. */
static void
test_dialog_gives_focus_back (void)
{
  AttnWindow *window = attn_gtk_test_open_bundled ();
  AttnCompareWindow *compare = compare_two (window, find_example (window, "cat-mat"),
                                            find_example (window, "rabbit-turtle"));
  gboolean given_back = FALSE;

  for (guint attempt = 0; attempt < 5 && !given_back; attempt++)
    {
      GtkWidget *alert = attn_replace_dialog_new (GTK_WINDOW (compare), "Replace?", NULL);

      attn_gtk_test_wait_until (takes_keyboard, compare);
      attn_gtk_test_wait_until (takes_keyboard, alert);
      /* as Escape does */
      gtk_window_close (GTK_WINDOW (alert));
      given_back = attn_gtk_test_active_within (GTK_WINDOW (compare), 2 * G_USEC_PER_SEC);
    }
  g_assert_true (given_back);
  gtk_window_destroy (GTK_WINDOW (compare));
  attn_gtk_test_close_window (window);
}

/* Closed, the comparison gives the window it was opened from the keyboard
 * back, as its file dialogs give it back to the comparison (the keyboard fell
 * to the root window under X11 without a window manager) */
static void
test_close_gives_focus_back (void)
{
  AttnWindow *window = attn_gtk_test_open_bundled ();
  gboolean given_back = FALSE;

  for (guint attempt = 0; attempt < 5 && !given_back; attempt++)
    {
      AttnCompareWindow *compare = compare_two (window, find_example (window, "cat-mat"),
                                                find_example (window, "rabbit-turtle"));

      attn_gtk_test_wait_until (takes_keyboard, compare);
      gtk_window_close (GTK_WINDOW (compare));
      given_back = attn_gtk_test_active_within (GTK_WINDOW (window), 2 * G_USEC_PER_SEC);
    }
  g_assert_true (given_back);
  attn_gtk_test_close_window (window);
}

/* Space ticks the focused row and the ring shows which row it was, hidden
 * before or not: GTK shows the focus for a key only when the key moves it,
 * and the row ticked showed none until the next arrow key (found by QA) */
static void
test_space_shows_focus (void)
{
  AttnWindow *window = attn_gtk_test_open_bundled ();
  guint cat = find_example (window, "cat-mat"), rabbit = find_example (window, "rabbit-turtle");
  guint sara = find_example (window, "sara-her");
  AttnCompareWindow *compare = compare_two (window, cat, rabbit);
  GtkWidget *row = NULL;

  find_rows (GTK_WIDGET (compare), "— sara-her", &row);
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_grab_focus (row));
  for (int i = 0; i < 2; i++)
    {
      /* the ring hidden, as GTK hides it a few seconds after the last
       * key; Space: the window activates the focus, and hides the focus on
       * the release as the focus stayed where it was; then the row has the
       * release */
      gtk_window_set_focus_visible (GTK_WINDOW (compare), FALSE);
      g_assert_false (gtk_window_get_focus_visible (GTK_WINDOW (compare)));
      g_assert_true (gtk_widget_activate (row));
      g_assert_true (attn_compare_window_get_checked (compare, sara) == (i == 0));
      gtk_window_set_focus_visible (GTK_WINDOW (compare), FALSE);
      attn_gtk_test_release_key (row, GDK_KEY_space);
      g_assert_true (gtk_window_get_focus (GTK_WINDOW (compare)) == row);
      g_assert_true (gtk_window_get_focus_visible (GTK_WINDOW (compare)));
      /* the ring, which GTK draws while the window has the keyboard focus:
       * a window of another test run at the same time on the display (no
       * window manager) may take it, and then no ring is drawn anywhere */
      if (gtk_window_is_active (GTK_WINDOW (compare)))
        {
          g_assert_true (gtk_widget_has_visible_focus (row));
          g_assert_true (gtk_widget_get_state_flags (row) & GTK_STATE_FLAG_FOCUS_VISIBLE);
        }
      settle (compare);
      g_assert_true (gtk_window_get_focus (GTK_WINDOW (compare)) == row);
    }

  gtk_window_destroy (GTK_WINDOW (compare));
  attn_gtk_test_close_window (window);
}

/* A key pressed over @widget: what its key controllers do with it; TRUE
 * if one handled it */
static gboolean
key_pressed (GtkWidget       *widget,
             guint            keyval,
             GdkModifierType  state)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !handled; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        g_signal_emit_by_name (controller, "key-pressed", keyval, 0, state, &handled);
    }
  return handled;
}

/* Tab from a row of the list of examples goes on to the comparison, and
 * Shift+Tab back to the search: GTK 4.8 took Tab from row to row (the
 * bundled examples: 40 presses to leave the list) */
static void
test_tab_leaves_list (void)
{
  AttnWindow *window = attn_gtk_test_open_bundled ();
  guint cat = find_example (window, "cat-mat"), rabbit = find_example (window, "rabbit-turtle");
  AttnCompareWindow *compare = compare_two (window, cat, rabbit);
  GtkWidget *list_view = attn_gtk_test_find_descendant (GTK_WIDGET (compare), GTK_TYPE_LIST_VIEW, TRUE);
  GtkWidget *row = NULL, *focus;

  find_rows (GTK_WIDGET (compare), "— sara-her", &row);
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_grab_focus (row));
  g_assert_true (key_pressed (list_view, GDK_KEY_Tab, 0));
  g_assert_true (gtk_window_get_focus (GTK_WINDOW (compare)) ==
                 attn_gtk_test_find_descendant (GTK_WIDGET (compare), ATTN_TYPE_FIGURE_VIEW, TRUE));

  g_assert_true (gtk_widget_grab_focus (row));
  g_assert_true (key_pressed (list_view, GDK_KEY_ISO_Left_Tab, GDK_SHIFT_MASK));
  focus = gtk_window_get_focus (GTK_WINDOW (compare));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_get_ancestor (focus, GTK_TYPE_SEARCH_ENTRY) != NULL);

  /* Ctrl+Tab and the other keys are the list's own */
  g_assert_true (gtk_widget_grab_focus (row));
  g_assert_false (key_pressed (list_view, GDK_KEY_Tab, GDK_CONTROL_MASK));
  g_assert_false (key_pressed (list_view, GDK_KEY_Down, 0));
  g_assert_true (gtk_window_get_focus (GTK_WINDOW (compare)) == row);

  gtk_window_destroy (GTK_WINDOW (compare));
  attn_gtk_test_close_window (window);
}

/* Ctrl+C copies the comparison's values: each example's block, then the
 * difference, second minus first, cell for cell */
/* The PNG at @path is there, whole */
static gboolean
png_saved (gpointer path)
{
  cairo_surface_t *png = cairo_image_surface_create_from_png (path);
  gboolean whole = cairo_surface_status (png) == CAIRO_STATUS_SUCCESS;

  cairo_surface_destroy (png);
  return whole;
}

/* Save writes the comparison laid out at the view's size, as shown (it
 * wrote the natural layout: 800 x 501 from a view of 945 x 703 that shows
 * it at 945 x 577) */
static void
test_save_shown (void)
{
  AttnWindow *window = attn_gtk_test_open_bundled ();
  AttnCompareWindow *compare = compare_two (window, find_example (window, "cat-mat"),
                                            find_example (window, "rabbit-turtle"));
  AttnFigureView *view = ATTN_FIGURE_VIEW (attn_gtk_test_find_descendant (GTK_WIDGET (compare),
                                                                          ATTN_TYPE_FIGURE_VIEW, TRUE));
  g_autofree char *path = g_build_filename (tmpdir, "comparison.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  cairo_surface_t *png;
  double w, h, natural_w, natural_h;

  attn_gtk_test_wait_until ((gboolean (*) (gpointer)) attn_figure_view_is_laid_out, view);
  attn_figure_get_size (attn_figure_view_get_figure (view), &w, &h);
  attn_figure_get_size (attn_compare_window_get_figure (compare), &natural_w, &natural_h);
  attn_compare_window_save (compare, file);
  attn_gtk_test_wait_until (png_saved, path);
  png = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
  g_test_message ("view %d x %d, shown %g x %g, natural %g x %g, saved %d x %d",
                  gtk_widget_get_width (GTK_WIDGET (view)), gtk_widget_get_height (GTK_WIDGET (view)), w, h,
                  natural_w, natural_h, cairo_image_surface_get_width (png), cairo_image_surface_get_height (png));
  g_assert_cmpint (cairo_image_surface_get_width (png), ==, (int) ceil (w));
  g_assert_cmpint (cairo_image_surface_get_height (png), ==, (int) ceil (h));
  cairo_surface_destroy (png);
  gtk_window_destroy (GTK_WINDOW (compare));
  attn_gtk_test_close_window (window);
}

static void
test_copy_values (void)
{
  AttnWindow *window = attn_gtk_test_open_bundled ();
  AttnCompareWindow *compare = compare_two (window, find_example (window, "author-his"),
                                            find_example (window, "author-her"));
  g_autoptr(GHashTable) cells = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) lines = NULL;
  g_autofree char *copied = NULL;
  const char *minus = NULL;
  guint differences = 0, n_windows;

  g_assert_true (attn_gtk_test_press_key (GTK_WIDGET (compare), GDK_KEY_c, GDK_CONTROL_MASK));
  copied = attn_gtk_test_get_clipboard_text (GTK_WIDGET (compare));
  lines = g_strsplit (copied, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "block\tlayer\tindex\ttoken\tvalue");
  /* two examples and their difference, 6 layers of 11 tokens each; not the
   * candidates' panels again, which repeat cells of the examples' blocks */
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 3 * 6 * 11 + 1);
  for (guint i = 1; lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], "\t", -1);

      g_assert_cmpuint (g_strv_length (fields), ==, 5);
      g_hash_table_insert (cells, g_strdup_printf ("%s/%s/%s", fields[0], fields[1], fields[2]),
                           g_memdup2 (&(double) { g_ascii_strtod (fields[4], NULL) }, sizeof (double)));
    }
  for (guint i = 1; lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], "\t", -1);
      g_autofree char *first = NULL;
      g_autofree char *second = NULL;
      double *a, *b;

      minus = strstr (fields[0], " minus ");
      if (minus == NULL)
        continue;
      first = g_strdup_printf ("author-his — Attention rollout/%s/%s", fields[1], fields[2]);
      second = g_strdup_printf ("author-her — Attention rollout/%s/%s", fields[1], fields[2]);
      g_assert_cmpstr (fields[0], ==, "Attention rollout: author-her minus author-his");
      a = g_hash_table_lookup (cells, first);
      b = g_hash_table_lookup (cells, second);
      g_assert_nonnull (a);
      g_assert_nonnull (b);
      g_assert_cmpfloat_with_epsilon (g_ascii_strtod (fields[4], NULL), *b - *a, 1e-12);
      differences++;
    }
  g_assert_cmpuint (differences, ==, 6 * 11);

  /* Ctrl+3: flow, as in the main window (Ctrl+4: all three); while it is
   * computed, rollout's figure may stay on screen, but its values are not
   * copied for flow's (nothing is) */
  g_assert_true (attn_gtk_test_press_key (GTK_WIDGET (compare), GDK_KEY_3, GDK_CONTROL_MASK));
  g_assert_true (attn_compare_window_is_busy (compare));
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (compare)), "before");
  g_assert_true (attn_gtk_test_press_key (GTK_WIDGET (compare), GDK_KEY_c, GDK_CONTROL_MASK));
  g_free (copied);
  copied = attn_gtk_test_get_clipboard_text (GTK_WIDGET (compare));
  g_assert_cmpstr (copied, ==, "before");
  /* nor saved: Save Comparison Values says so before asking where */
  n_windows = g_list_model_get_n_items (gtk_window_get_toplevels ());
  gtk_widget_activate_action (GTK_WIDGET (compare), "compare.save-values", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (gtk_window_get_toplevels ()), ==, n_windows);
  settle (compare);
  g_assert_true (attn_gtk_test_press_key (GTK_WIDGET (compare), GDK_KEY_c, GDK_CONTROL_MASK));
  g_free (copied);
  copied = attn_gtk_test_get_clipboard_text (GTK_WIDGET (compare));
  g_assert_true (g_str_has_prefix (strchr (copied, '\n') + 1, "author-his — Attention flow\t"));

  gtk_window_destroy (GTK_WINDOW (compare));
  attn_gtk_test_close_window (window);
}

/* The rows of @copied (the comparison's values) of @block, as
 * `attnflow-cli rollout --format csv` prints them: "layer,index,token,value" */
static char *
block_as_csv (const char *copied,
              const char *block)
{
  g_auto(GStrv) lines = g_strsplit (copied, "\n", -1);
  GString *csv = g_string_new ("layer,index,token,value\n");

  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], "\t", -1);

      if (g_strv_length (fields) == 5 && g_str_equal (fields[0], block))
        g_string_append_printf (csv, "%s,%s,%s,%s\n", fields[1], fields[2], fields[3], fields[4]);
    }
  return g_string_free (csv, FALSE);
}

/* Weights given without heads take every head, as the main window takes
 * them with its heads field greyed out: with heads 0,3 chosen (for weights
 * with heads), the comparison of ALTI, which pronouns-minilm.json gives as
 * [L][n][n], is that of every head, `attnflow-cli rollout --weights alti`'s
 * value for value (it showed only “its “alti” weights have no heads …, so
 * head 3 does not exist: use all heads”, which the greyed-out field could
 * not do) */
static void
test_weights_without_heads (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "examples", "pronouns-minilm.json",
                                                 NULL);
  g_auto(AttnTestRun) run = { 0 };
  AttnWindow *window = attn_gtk_test_open_bundled ();
  AttnCompareWindow *compare;
  AttnFigure *figure;
  g_autofree char *copied = NULL;
  g_autofree char *values = NULL;

  g_settings_set_string (settings, "weights", "alti");
  g_settings_set_string (settings, "heads", "0,3");
  compare = compare_two (window, find_example (window, "author-his"), find_example (window, "author-her"));
  figure = attn_compare_window_get_figure (compare);
  g_assert_nonnull (figure);
  g_assert_true (has_substring (attn_figure_get_caption (figure), "heads do not apply (weights without heads)"));
  g_assert_true (attn_gtk_test_press_key (GTK_WIDGET (compare), GDK_KEY_c, GDK_CONTROL_MASK));
  copied = attn_gtk_test_get_clipboard_text (GTK_WIDGET (compare));
  values = block_as_csv (copied, "author-his — Attention rollout (ALTI)");
  attn_test_run_cli (&run, "rollout", path, "--example", "author-his", "--weights", "alti", "--format", "csv", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpuint (strlen (values), >, strlen ("layer,index,token,value\n") + 6 * 11 * 8);
  g_assert_cmpstr (values, ==, run.out);

  g_settings_reset (settings, "heads");
  g_settings_reset (settings, "weights");
  gtk_window_destroy (GTK_WINDOW (compare));
  attn_gtk_test_close_window (window);
}

/* The windows of @type over @window, the last one in @child */
static guint
count_children (AttnWindow *window,
                GType       type,
                GtkWindow **child)
{
  GList *toplevels = gtk_window_list_toplevels ();
  guint n = 0;

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_window_get_transient_for (l->data) == GTK_WINDOW (window))
      {
        *child = l->data;
        n++;
      }
  g_list_free (toplevels);
  return n;
}

/* Ctrl+M and Ctrl+E again present the window of their kind, as it was (they
 * opened another each time); a file opened since makes it anew, with it */
static void
test_one_window (void)
{
  static const char *actions[] = { "win.compare", "win.evaluation" };
  GType types[] = { ATTN_TYPE_COMPARE_WINDOW, ATTN_TYPE_EVALUATION_WINDOW };
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "examples", "sst2-bert.json", NULL);
  g_autofree char *other = g_test_build_filename (G_TEST_DIST, "..", "data", "examples", "pronouns-minilm.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (other);
  AttnWindow *window = attn_gtk_test_open_file (path);
  GtkWindow *first[G_N_ELEMENTS (actions)], *child = NULL;

  attn_gtk_test_wait_until (attn_gtk_test_example_open, window);
  for (guint k = 0; k < G_N_ELEMENTS (actions); k++)
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), actions[k], NULL));
      g_assert_cmpuint (count_children (window, types[k], &first[k]), ==, 1);
      g_object_add_weak_pointer (G_OBJECT (first[k]), (gpointer *) &first[k]);
    }
  /* the examples ticked in the comparison stay ticked */
  attn_compare_window_set_checked (ATTN_COMPARE_WINDOW (first[0]), 4, TRUE);
  for (guint k = 0; k < G_N_ELEMENTS (actions); k++)
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), actions[k], NULL));
      g_assert_cmpuint (count_children (window, types[k], &child), ==, 1);
      g_assert_true (child == first[k]);
    }
  g_assert_true (attn_compare_window_get_checked (ATTN_COMPARE_WINDOW (first[0]), 4));

  /* a file opened since: made anew, the comparison offering its examples too */
  attn_window_open_file (window, file);
  attn_gtk_test_wait_idle (window);
  for (guint k = 0; k < G_N_ELEMENTS (actions); k++)
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), actions[k], NULL));
      /* the old one is closed at once; finalized once its work in progress
       * lets go of it (under the sanitizers, later) */
      g_assert_cmpuint (count_children (window, types[k], &child), ==, 1);
      g_assert_true (gtk_window_get_transient_for (child) == GTK_WINDOW (window));
      attn_gtk_test_wait_until (attn_gtk_test_is_null, &first[k]);
      if (k == 0)
        g_assert_cmpuint (g_list_model_get_n_items (attn_compare_window_get_shown (ATTN_COMPARE_WINDOW (child))), ==,
                          window->entries->len);
    }
  attn_gtk_test_close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (!attn_gtk_test_init (&argc, &argv, &status))
    return status;

  tmpdir = attn_test_make_folder ("compare");

  g_test_add_func ("/attn/gtk/compare/many-examples", test_many_examples);
  g_test_add_func ("/attn/gtk/compare/korean-sentences", test_korean_sentences);
  g_test_add_func ("/attn/gtk/compare/title-breaks", test_title_breaks);
  g_test_add_func ("/attn/gtk/compare/enter-ticks", test_enter_ticks);
  g_test_add_func ("/attn/gtk/compare/follows-settings", test_follows_settings);
  g_test_add_func ("/attn/gtk/compare/note-once", test_note_once);
  g_test_add_func ("/attn/gtk/compare/depths-differ", test_depths_differ);
  g_test_add_func ("/attn/gtk/compare/checked-order", test_checked_order);
  g_test_add_func ("/attn/gtk/compare/keys", test_keys);
  g_test_add_func ("/attn/gtk/compare/quit-keys", test_quit_keys);
  g_test_add_func ("/attn/gtk/compare/copy-values", test_copy_values);
  g_test_add_func ("/attn/gtk/compare/weights-without-heads", test_weights_without_heads);
  g_test_add_func ("/attn/gtk/compare/save-shown", test_save_shown);
  g_test_add_func ("/attn/gtk/compare/dialog-gives-focus-back", test_dialog_gives_focus_back);
  g_test_add_func ("/attn/gtk/compare/close-gives-focus-back", test_close_gives_focus_back);
  g_test_add_func ("/attn/gtk/compare/space-shows-focus", test_space_shows_focus);
  g_test_add_func ("/attn/gtk/compare/tab-leaves-list", test_tab_leaves_list);
  g_test_add_func ("/attn/gtk/compare/computing-message", test_computing_message);
  g_test_add_func ("/attn/gtk/compare/one-window", test_one_window);

  status = g_test_run ();

  attn_test_drop_folder (tmpdir);
  return status;
}
