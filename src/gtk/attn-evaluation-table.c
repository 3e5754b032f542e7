/* attn-evaluation-table.c: the evaluation window's table of ρ per layer
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two grids side by side: the Layer column, which stays in view, and the
 * values. The example's own values are beside the means where the window
 * has room for them, else under them, a block of their own with its Layer
 * column (at 900 px they went past the edge and had to be scrolled to);
 * narrower still (the handle moved), the values scroll sideways, with a
 * scrollbar that stays in sight. The labels of a row share a size group, so
 * that the rows of both grids line up. When every mean leaves out as many
 * NaN, the heading says how many once, and the cells do not repeat it.
 * Also the texts around the table: the window's heading and the line on
 * the example chosen.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "attn-evaluation-plot.h"
#include "attn-evaluation-window-private.h"
#include "attn-wheel.h"

#define N_METHODS ATTN_N_METHODS
/* table columns: the three means, then the example's three values */
#define N_COLUMNS (2 * N_METHODS)
/* the gap between the means and the example's own values beside them */
#define EXAMPLE_GAP 18

static const char *
method_short_label (guint m)
{
  switch (m)
    {
    case ATTN_METHOD_RAW:
      return C_("method", "Raw");
    case ATTN_METHOD_ROLLOUT:
      return C_("method", "Rollout");
    case ATTN_METHOD_FLOW:
    default:
      return C_("method", "Flow");
    }
}

static GtkWidget *
method_header (guint    m,
               gboolean dark)
{
  GtkWidget *label = gtk_label_new (NULL);
  g_autofree char *escaped = g_markup_escape_text (method_short_label (m), -1);
  g_autofree char *markup = NULL;
  AttnRgba color;

  attn_evaluation_get_method_color (m, dark, &color);
  markup = g_strdup_printf ("<span foreground=\"#%02x%02x%02x\">●</span> %s",
                            (guint) round (color.red * 255), (guint) round (color.green * 255),
                            (guint) round (color.blue * 255), escaped);
  gtk_label_set_markup (GTK_LABEL (label), markup);
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_widget_add_css_class (label, "heading");
  return label;
}

static GtkWidget *
cell_label (const char *text,
            gboolean    dim)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_widget_add_css_class (label, "numeric");
  if (dim)
    gtk_widget_add_css_class (label, "dim-label");
  return label;
}

/* @text, taken, with U+2212 MINUS SIGN for the hyphen-minus of negative
 * numbers: as wide as the "+" of positive ones, and as the plot writes it
 * (the CLI and the CSV keep ASCII) */
static char *
with_minus_signs (char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, "-", -1);

  g_free (text);
  return g_strjoinv ("−", parts);
}

/* For the reference dropdown: @item's name for people (“Input gradient”
 * for `gradient`; another as a file's text is shown, attn_text_from_file()) */
static char *
reference_label (GtkStringObject *item)
{
  return attn_text_from_file (attn_reference_get_label (gtk_string_object_get_string (item)));
}

/**
 * _attn_evaluation_reference_dropdown_init:
 * @dropdown: the Reference dropdown
 * @model: the references of the file, by their names in it
 *
 * Shows @model's references by their names for people
 * (attn_reference_get_label()), while the model keeps the file's.
 */
void
_attn_evaluation_reference_dropdown_init (GtkDropDown *dropdown,
                                          GListModel  *model)
{
  GtkExpression *label = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                                      G_CALLBACK (reference_label), NULL, NULL);

  gtk_drop_down_set_expression (dropdown, label);
  gtk_expression_unref (label);
  gtk_drop_down_set_model (dropdown, model);
}

/* @widget into @grid at @row, its height shared with the rest of the row */
static void
attach (GtkGrid    *grid,
        GtkWidget  *widget,
        int         column,
        int         row,
        int         width,
        GPtrArray  *rows)
{
  gtk_size_group_add_widget (g_ptr_array_index (rows, row), widget);
  gtk_grid_attach (grid, widget, column, row, width, 1);
}

/* The example's column of @widget, 1 + the method, N_METHODS + 1 across
 * them; none for the means' */
#define EXAMPLE_COLUMN "attn-example-column"

/* @widget of the example's column @m (a method, or G_MAXUINT across them)
 * into @values: beside the means, or @stacked under them, @row its row in
 * the block */
static void
attach_example (GtkGrid    *values,
                GtkWidget  *widget,
                guint       m,
                int         row,
                guint       L,
                gboolean    stacked,
                GPtrArray  *rows)
{
  g_object_set_data (G_OBJECT (widget), EXAMPLE_COLUMN, GUINT_TO_POINTER (m == G_MAXUINT ? N_METHODS + 1 : m + 1));
  if (stacked)
    attach (values, widget, m == G_MAXUINT ? 0 : m, L + 2 + row, m == G_MAXUINT ? N_METHODS : 1, rows);
  else
    attach (values, widget, m == G_MAXUINT ? N_METHODS : N_METHODS + m, row, m == G_MAXUINT ? N_METHODS : 1,
            rows);
}

static gboolean
is_example (GtkWidget *widget)
{
  return g_object_get_data (G_OBJECT (widget), EXAMPLE_COLUMN) != NULL;
}

/* Whether the values are wider than the room they have */
static gboolean
scrolls (GtkAdjustment *adjustment)
{
  return gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_lower (adjustment) >
         gtk_adjustment_get_page_size (adjustment) + 0.5;
}

static gboolean
show_scrollbar_cb (gpointer data)
{
  GtkWidget *scrollbar = data;

  gtk_widget_set_visible (scrollbar, scrolls (gtk_scrollbar_get_adjustment (GTK_SCROLLBAR (scrollbar))));
  return G_SOURCE_REMOVE;
}

/* Shown or hidden once the values are laid out: shown while they were
 * (another file's values at 900 px), GTK 4.8 kept it out of the box's
 * height, and it drew over the example under it to the window's bottom */
static void
scroll_changed_cb (GtkAdjustment *adjustment,
                   GtkWidget     *scrollbar)
{
  if (gtk_widget_get_visible (scrollbar) != scrolls (adjustment))
    g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, show_scrollbar_cb, g_object_ref (scrollbar), g_object_unref);
}

/* A Tab stop, with a focus ring (style.css), while the values scroll: Ctrl
 * and an arrow key or Page Up/Down scroll them. While they fit it does
 * nothing with keys and takes no focus (Tab stopped on it, and no ring said
 * where the focus was) */
static void
scroller_focus_cb (GtkAdjustment *adjustment,
                   GtkWidget     *scroller)
{
  /* can-focus: a scrolled window without a focusable child takes the focus
   * when it can, focusable or not (not, Tab stayed where it was) */
  gtk_widget_set_can_focus (scroller, scrolls (adjustment));
}

/**
 * _attn_evaluation_table_init_scrollbar:
 * @scroller: the values' scrolled window, its horizontal scrollbar external
 * @scrollbar: the scrollbar under it
 *
 * The values scroll sideways with @scrollbar, which shows whenever they are
 * wider than the room they have (an overlay scrollbar hides until hovered,
 * and the example's columns went past the edge unseen); @scroller is a Tab
 * stop then, and only then. The wheel over them scrolls the side of the
 * window they are on up and down (@scroller kept it, scrolling only
 * sideways: at 900 x 600 the example's values, its drop-down and "Plot the
 * example too" stayed below the edge with the pointer over the table).
 */
void
_attn_evaluation_table_init_scrollbar (GtkScrolledWindow *scroller,
                                       GtkScrollbar      *scrollbar)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_hadjustment (scroller);
  GtkWidget *side = gtk_widget_get_ancestor (gtk_widget_get_parent (GTK_WIDGET (scroller)),
                                             GTK_TYPE_SCROLLED_WINDOW);

  attn_scrolled_window_take_wheel (GTK_SCROLLED_WINDOW (side), "attn-evaluation-side-wheel", TRUE);
  gtk_scrollbar_set_adjustment (scrollbar, adjustment);
  g_signal_connect_object (adjustment, "changed", G_CALLBACK (scroll_changed_cb), scrollbar, 0);
  gtk_widget_set_visible (GTK_WIDGET (scrollbar), scrolls (adjustment));
  g_signal_connect_object (adjustment, "changed", G_CALLBACK (scroller_focus_cb), scroller, 0);
  scroller_focus_cb (adjustment, GTK_WIDGET (scroller));
}

/**
 * _attn_evaluation_table_clear:
 * @layers: the Layer column
 * @values: the values
 *
 * Empties both grids.
 */
void
_attn_evaluation_table_clear (GtkGrid *layers,
                              GtkGrid *values)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (layers))) != NULL)
    gtk_grid_remove (layers, child);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (values))) != NULL)
    gtk_grid_remove (values, child);
}

/* The two header rows: how many examples, the example's id, the methods */
static void
fill_headers (GtkGrid         *layers,
              GtkGrid         *values,
              AttnCorrelation *r,
              AttnExample     *example,
              gboolean         stacked,
              gboolean         dark,
              GPtrArray       *rows)
{
  guint L = attn_correlation_get_n_layers (r);
  AttnWeightKind weights = attn_graph_settings_get_weights (attn_correlation_get_settings (r));
  g_autofree char *count = NULL;
  g_autofree char *heading = NULL;
  GtkWidget *label;

  /* how many examples the means are over, NaN left out */
  count = attn_correlation_format_heading (attn_correlation_get_methods (r),
                                           attn_correlation_get_n_layers (r),
                                           attn_correlation_get_n_examples (r),
                                           attn_correlation_get_nan_count (r));
  if (weights == ATTN_WEIGHT_KIND_ATTENTION)
    heading = g_steal_pointer (&count);
  else
    /* translators: the evaluation table's heading ("Mean ± std over 5 examples"), then the
     * weights of the graph's edges ("ALTI") when they are not the attention */
    heading = g_strdup_printf (_("%s · weights: %s"), count, attn_weight_kind_get_label (weights));
  label = gtk_label_new (heading);
  gtk_widget_add_css_class (label, "dim-label");
  attach (values, label, 0, 0, N_METHODS, rows);
  /* the Layer column's first row stays empty */
  attach (layers, gtk_label_new (NULL), 0, 0, 1, rows);
  if (example != NULL)
    {
      label = gtk_label_new (attn_example_get_label (example));
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 18);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_tooltip_text (label, attn_example_get_text (example));
      /* under the means, a line's room above it */
      if (stacked)
        gtk_widget_set_margin_top (label, 12);
      attach_example (values, label, G_MAXUINT, 0, L, stacked, rows);
    }

  for (guint block = 0; block < (example != NULL && stacked ? 2 : 1); block++)
    {
      if (block > 0)
        attach (layers, gtk_label_new (NULL), 0, L + 2, 1, rows);
      label = gtk_label_new (_("Layer"));
      gtk_label_set_xalign (GTK_LABEL (label), 1);
      gtk_widget_add_css_class (label, "heading");
      attach (layers, label, 0, 1 + block * (L + 2), 1, rows);
    }
  for (guint m = 0; m < N_METHODS; m++)
    {
      attach (values, method_header (m, dark), m, 1, 1, rows);
      if (example != NULL)
        {
          GtkWidget *header = method_header (m, dark);

          /* a gap between the means and the example's own values beside them */
          if (m == 0 && !stacked)
            gtk_widget_set_margin_start (header, EXAMPLE_GAP);
          attach_example (values, header, m, 1, L, stacked, rows);
        }
    }
}

/**
 * _attn_evaluation_table_fill:
 * @layers: the Layer column, empty
 * @values: the values, empty
 * @r: the result
 * @example: (nullable): the example whose own values are shown too
 * @ex: (nullable): its values, %ATTN_N_METHODS * L
 * @stacked: whether the example's values go under the means, not beside them
 * @dark: whether the window is dark (the methods' colours)
 * @cells: where the cells' texts go, L * 2 * %ATTN_N_METHODS (a #GPtrArray
 *   of strings that frees them)
 *
 * Fills the table: a heading row, a row of methods, a row per layer; the
 * example's the same, beside them or under them.
 */
void
_attn_evaluation_table_fill (GtkGrid         *layers,
                             GtkGrid         *values,
                             AttnCorrelation *r,
                             AttnExample     *example,
                             const double    *ex,
                             gboolean         stacked,
                             gboolean         dark,
                             GPtrArray       *cells)
{
  guint L = attn_correlation_get_n_layers (r);
  const double *mean = attn_correlation_get_mean (r);
  const double *std = attn_correlation_get_std (r);
  const guint *nan_count = attn_correlation_get_nan_count (r);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  guint n_examples = attn_correlation_get_n_examples (r), least, most;
  gboolean counted_once;

  /* "over 4 of 5 examples (1 NaN left out)" in the heading: not in every cell */
  attn_correlation_count_defined (attn_correlation_get_methods (r), L, n_examples, nan_count,
                                  &least, &most);
  counted_once = least == most && least > 0 && least < n_examples;
  stacked = stacked && ex != NULL;
  for (guint i = 0; i < (stacked ? 2 : 1) * (L + 2); i++)
    g_ptr_array_add (rows, gtk_size_group_new (GTK_SIZE_GROUP_VERTICAL));
  fill_headers (layers, values, r, ex != NULL ? example : NULL, stacked, dark, rows);

  for (guint l = 0; l < L; l++)
    {
      g_autofree char *layer = g_strdup_printf ("%u", l + 1);

      attach (layers, cell_label (layer, TRUE), 0, 2 + l, 1, rows);
      if (stacked)
        attach (layers, cell_label (layer, TRUE), 0, L + 4 + l, 1, rows);
      for (guint c = 0; c < N_COLUMNS; c++)
        {
          guint m = c % N_METHODS;
          char *text;

          if (c < N_METHODS)
            text = attn_correlation_format_mean (mean[m * L + l], std[m * L + l],
                                                 counted_once ? 0 : nan_count[m * L + l]);
          else if (ex != NULL)
            text = attn_correlation_format_value (ex[m * L + l]);
          else
            text = g_strdup ("");
          text = with_minus_signs (text);
          g_ptr_array_add (cells, text);
          if (c < N_METHODS)
            attach (values, cell_label (text, FALSE), c, 2 + l, 1, rows);
          else if (ex != NULL)
            attach_example (values, cell_label (text, TRUE), m, 2 + l, L, stacked, rows);
        }
    }
}

/* How wide the table's pane must be for the Layer column and the three
 * methods' means (the example's own columns may scroll): the means'
 * columns measured as the grid lays them out, in the row beside the Layer
 * column, within the pane's margins */
int
_attn_evaluation_table_means_width (GtkGrid *layers,
                                    GtkGrid *values)
{
  GtkWidget *heading = gtk_grid_get_child_at (values, 0, 0);
  GtkWidget *beside = gtk_widget_get_parent (GTK_WIDGET (layers));
  GtkWidget *pane = gtk_widget_get_parent (beside);
  int spacing = gtk_grid_get_column_spacing (values);
  int means = -spacing, all = 0, natural = 0, w;

  if (heading == NULL)
    return 0;
  for (int m = 0; m < N_METHODS; m++)
    {
      int column = 0;
      GtkWidget *cell;

      for (int row = 1; (cell = gtk_grid_get_child_at (values, m, row)) != NULL && !is_example (cell); row++)
        {
          gtk_widget_measure (cell, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &w, NULL, NULL);
          column = MAX (column, w);
        }
      means += column + spacing;
    }
  /* the heading over them widens them */
  gtk_widget_measure (heading, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &w, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (values), GTK_ORIENTATION_HORIZONTAL, -1, NULL, &all, NULL, NULL);
  gtk_widget_measure (beside, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
  return gtk_widget_get_margin_start (pane) + natural - all + MAX (means, w) + gtk_widget_get_margin_end (pane);
}

/* How wide the table's pane must be for the example's values beside the
 * means: the means' width, the example's columns measured by themselves
 * wherever they are, a gap before them; 0 without them */
int
_attn_evaluation_table_side_width (GtkGrid *layers,
                                   GtkGrid *values)
{
  int widths[N_METHODS] = { 0 };
  int spacing = gtk_grid_get_column_spacing (values), side = 0, w;
  gboolean any = FALSE;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (values)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (child), EXAMPLE_COLUMN));

      any = any || is_example (child);
      if (column == 0 || column > N_METHODS)
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &w, NULL, NULL);
      /* the gap is Raw's header's, beside the means */
      w -= gtk_widget_get_margin_start (child);
      widths[column - 1] = MAX (widths[column - 1], w);
    }
  if (!any)
    return 0;
  for (guint m = 0; m < N_METHODS; m++)
    side += spacing + widths[m];
  return _attn_evaluation_table_means_width (layers, values) + EXAMPLE_GAP + side;
}

/* The window's heading */

/**
 * _attn_evaluation_status_text:
 * @r: the result
 * @wanted: the main window's weights
 *
 * Returns: (transfer full): the heading over the table: the reference, then
 *   the main window's weights when no example here carries them (their
 *   attention is shown, said, not silently), and how many examples with
 *   the reference the result left out for lacking its weights (as
 *   `attnflow-cli correlate` notes them; the window said “43 examples” and
 *   nothing more)
 */
char *
_attn_evaluation_status_text (AttnCorrelation *r,
                              AttnWeightKind   wanted)
{
  AttnWeightKind weights = attn_graph_settings_get_weights (attn_correlation_get_settings (r));
  guint lacking = attn_correlation_get_n_lacking (r);
  /* a reference's name is the file's: quoted as messages, set as figures */
  g_autofree char *quoted = attn_error_quote_text (attn_reference_get_label (attn_correlation_get_reference (r)));
  g_autofree char *shown = attn_text_from_file (quoted);
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, _("Spearman’s ρ between the reference “%s” and each "
                                  "method’s importance at the focus token"), shown);
  if (wanted != weights)
    {
      g_string_append_c (text, '\n');
      /* translators: a weight kind such as ALTI, which the main window shows */
      g_string_append_printf (text, _("No example here carries %s weights: this is their attention"),
                              attn_weight_kind_get_label (wanted));
    }
  if (lacking > 0)
    {
      g_string_append_c (text, '\n');
      /* translators: %u examples with the chosen reference lack the weights (%s, a weight kind
       * such as ALTI): the evaluation leaves them out */
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                                 "%u example with this reference carries no %s weights "
                                                 "and is left out",
                                                 "%u examples with this reference carry no %s weights "
                                                 "and are left out",
                                                 lacking),
                              lacking, attn_weight_kind_get_label (weights));
    }
  return g_string_free (text, FALSE);
}

/**
 * _attn_evaluation_example_text:
 * @r: the result
 * @example: the example chosen in the picker
 * @in_result: whether @r has @example's values
 *
 * Returns: (transfer full): the line under the picker: the example's
 *   sentence, then its focus token and what the model said, or why it has
 *   no values (it lacks the weights: the area was empty)
 */
char *
_attn_evaluation_example_text (AttnCorrelation *r,
                               AttnExample     *example,
                               gboolean         in_result)
{
  const char *prediction = attn_example_get_prediction_label (example);
  guint focus = attn_example_get_focus (example);
  const char *sentence = attn_example_get_text (example);
  GString *text = g_string_new (NULL);
  g_autofree char *token = attn_text_from_file (attn_example_get_token (example, focus));

  /* the file's text as the figures show it (attn_text_from_file()): an
   * override it leaves open must not reverse the rest */
  if (sentence != NULL && *sentence != '\0')
    {
      g_autofree char *isolated = attn_text_from_file (sentence);

      g_string_append_printf (text, "%s\n", isolated);
    }
  if (!in_result)
    {
      AttnWeightKind weights = attn_graph_settings_get_weights (attn_correlation_get_settings (r));

      /* translators: %s is a weight kind such as ALTI, which the example lacks */
      g_string_append_printf (text, _("This example carries no %s weights and is left out: it has no "
                                      "values of its own"), attn_weight_kind_get_label (weights));
      return g_string_free (text, FALSE);
    }
  /* translators: the token whose importance vector is correlated, and its position */
  g_string_append_printf (text, _("Focus token: %s (position %u)"), token, focus);
  if (prediction != NULL)
    {
      g_autofree char *said = attn_text_from_file (prediction);

      g_string_append (text, "; ");
      /* translators: %s is the model's predicted label, such as positive */
      g_string_append_printf (text, _("prediction: %s"), said);
    }
  return g_string_free (text, FALSE);
}
