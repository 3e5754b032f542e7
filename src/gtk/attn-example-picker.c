/* attn-example-picker.c: choosing one example among those of every open file, by search
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK 4.8's GtkDropDown matches its search only at the start of an item's
 * string, and shows one line per item. This picker is a menu button whose
 * popover holds a search entry and a list: every word typed must occur
 * anywhere in the example's file name, id, text or tokens, and each row shows
 * the example's text under its name.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "attn-example-picker.h"
#include "attn-gtk-util.h"

/* How much of a list the popover shows before it scrolls, in pixels */
#define LIST_MAX_HEIGHT 420
#define LIST_WIDTH 460
/* Characters of the button's lines before they are cut with “…” */
#define BUTTON_MAX_CHARS 34
/* The least width of the button's lines: the example's name, whatever the
 * example (choosing one never widens the window), names of up to 13 or so
 * characters ("author-his", "sst2-0551") whole */
#define BUTTON_MIN_NAME_CHARS 16
/* and the widest name of the open files, up to this many characters of its
 * smaller type: the bundled ones (“pronouns-masked-minilm.json”) whole at
 * 900 px, in Korean too */
#define BUTTON_MAX_FILE_CHARS 30
#define BUTTON_SPACING 6
/* how much of the query the message of no match quotes */
#define QUERY_MAX_CHARS 40

/* The item */

struct _AttnExampleItem
{
  GObject       parent_instance;

  AttnDocument *document;
  guint         index;
  char         *title;        /* as shown (attn_text_from_file()) */
  char         *file;         /* the title's two parts: the file's name, as shown */
  char         *name;         /* and the example's, as the file gives it, or NULL */
  char         *text;
  char         *search;
  char         *names;        /* the file's and the example's names, folded */
};

G_DEFINE_FINAL_TYPE (AttnExampleItem, attn_example_item, G_TYPE_OBJECT)

static void
attn_example_item_finalize (GObject *object)
{
  AttnExampleItem *self = ATTN_EXAMPLE_ITEM (object);

  g_clear_pointer (&self->document, attn_document_unref);
  g_free (self->title);
  g_free (self->file);
  g_free (self->name);
  g_free (self->text);
  g_free (self->search);
  g_free (self->names);

  G_OBJECT_CLASS (attn_example_item_parent_class)->finalize (object);
}

static void
attn_example_item_class_init (AttnExampleItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = attn_example_item_finalize;
}

static void
attn_example_item_init (AttnExampleItem *self)
{
}

const char *
attn_example_item_get_title (AttnExampleItem *self)
{
  g_return_val_if_fail (ATTN_IS_EXAMPLE_ITEM (self), NULL);

  return self->title;
}

/**
 * attn_example_item_get_text:
 *
 * Returns: (nullable): the example's text, if the file gave one
 */
const char *
attn_example_item_get_text (AttnExampleItem *self)
{
  g_return_val_if_fail (ATTN_IS_EXAMPLE_ITEM (self), NULL);

  return self->text;
}

AttnDocument *
attn_example_item_get_document (AttnExampleItem *self)
{
  g_return_val_if_fail (ATTN_IS_EXAMPLE_ITEM (self), NULL);

  return self->document;
}

guint
attn_example_item_get_index (AttnExampleItem *self)
{
  g_return_val_if_fail (ATTN_IS_EXAMPLE_ITEM (self), 0);

  return self->index;
}

/**
 * attn_example_item_matches:
 * @query: what the user typed
 *
 * Returns: whether every word of @query occurs in the example's file name,
 *   id, text or tokens (attn_search_matches())
 */
gboolean
attn_example_item_matches (AttnExampleItem *self,
                           const char      *query)
{
  g_return_val_if_fail (ATTN_IS_EXAMPLE_ITEM (self), FALSE);

  return query == NULL || attn_search_matches (self->search, query);
}

/* Whether @query has words, and all of them are in @item's file and example names */
static gboolean
names_match (AttnExampleItem *item,
             const char      *query)
{
  return query != NULL && query[strspn (query, " \t\n\r")] != '\0'
         && attn_search_matches (item->names, query);
}

/**
 * attn_example_items_find_match:
 * @model: a model of #AttnExampleItem
 * @query: (nullable): what the user typed
 *
 * What Enter in the compare window's search takes: the first example whose
 * file and example names hold every word of @query ("sara her" is
 * sara-her, though author-her's sentence names Sara too and comes first),
 * else the first that @query matches (attn_example_item_matches()). The
 * picker's Enter takes the same but for its current example, which it
 * keeps where that matches, unless another's names hold the words and its
 * own do not.
 *
 * Returns: its position in @model, or %GTK_INVALID_LIST_POSITION when
 *   @query has no word or matches none
 */
guint
attn_example_items_find_match (GListModel *model,
                               const char *query)
{
  guint n, first = GTK_INVALID_LIST_POSITION;

  g_return_val_if_fail (G_IS_LIST_MODEL (model), GTK_INVALID_LIST_POSITION);

  if (query == NULL || query[strspn (query, " \t\n\r")] == '\0')
    return GTK_INVALID_LIST_POSITION;
  n = g_list_model_get_n_items (model);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AttnExampleItem) item = g_list_model_get_item (model, i);

      if (names_match (item, query))
        return i;
      if (first == GTK_INVALID_LIST_POSITION && attn_example_item_matches (item, query))
        first = i;
    }
  return first;
}

/**
 * attn_example_search_entry_new:
 *
 * Returns: (transfer floating): a search entry for examples, saying what
 *   attn_example_item_matches() looks in
 */
GtkWidget *
attn_example_search_entry_new (void)
{
  GtkWidget *entry = gtk_search_entry_new ();

  g_object_set (entry, "placeholder-text", _("Search id, text, token"), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Search Examples"), -1);
  return entry;
}

/**
 * attn_example_items_new:
 * @documents: (element-type AttnDocument): the open documents
 *
 * Returns: (transfer full): one #AttnExampleItem per example, documents in
 *   order, titled "file — id" where files of the same name are told apart by
 *   their folders ("a/sst2.json — 0551"); both names as a file's text is
 *   shown (attn_text_from_file(): “ok\u202eevil.json”, an id's newline “\n”)
 */
GListStore *
attn_example_items_new (GPtrArray *documents)
{
  GListStore *store = g_list_store_new (ATTN_TYPE_EXAMPLE_ITEM);
  g_auto(GStrv) names = NULL;

  g_return_val_if_fail (documents != NULL, store);

  names = attn_document_names_distinct (documents);

  for (guint d = 0; d < documents->len; d++)
    {
      AttnDocument *document = g_ptr_array_index (documents, d);
      guint n = attn_document_get_n_examples (document);

      for (guint i = 0; i < n; i++)
        {
          AttnExample *example = attn_document_get_example (document, i);
          const char *label = attn_example_get_label (example);
          AttnExampleItem *item = g_object_new (ATTN_TYPE_EXAMPLE_ITEM, NULL);
          g_autofree char *own = attn_example_get_search_text (example);
          g_autofree char *file = attn_search_fold (names[d]);
          g_autofree char *both = NULL;

          item->document = attn_document_ref (document);
          item->index = i;
          item->file = attn_text_from_file_name (names[d]);
          if (n == 1 && (label == NULL || *label == '\0'))
            item->title = g_strdup (item->file);
          else
            {
              g_autofree char *shown = attn_text_from_file (label);

              item->name = g_strdup (label);
              item->title = g_strdup_printf ("%s — %s", item->file, shown);
            }
          item->text = g_strdup (attn_example_get_text (example));
          item->search = g_strconcat (file, "\n", own, NULL);
          both = g_strconcat (names[d], "\n", item->name, NULL);
          item->names = attn_search_fold (both);
          g_list_store_append (store, item);
          g_object_unref (item);
        }
    }

  return store;
}

/* The picker */

struct _AttnExamplePicker
{
  GtkWidget           parent_instance;

  GtkWidget          *button;
  GtkWidget          *name_label;     /* the button: the example's name, */
  GtkWidget          *file_label;     /* under it the file's, smaller */
  GtkWidget          *popover;
  GtkWidget          *entry;
  GtkWidget          *list_view;
  GtkWidget          *empty_label;

  GListStore         *items;
  GPtrArray          *files;          /* the distinct names of the files, as titles give them */
  GtkCustomFilter    *filter;
  GtkFilterListModel *matches;
  GtkSingleSelection *selection;
  char               *query;
  guint               selected;
  gboolean            setting_text;
  guint               fit_id;         /* fit_list_cb() to come */
};

G_DEFINE_FINAL_TYPE (AttnExamplePicker, attn_example_picker, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_SELECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The width of @n_chars average characters in @label's font: of Latin
 * text, as names of files and examples are (the metrics of the Korean
 * locale measured them a fifth narrower, and "author-mask" was cut) */
static int
chars_width (GtkWidget *label,
             int        n_chars)
{
  PangoFontMetrics *metrics = pango_context_get_metrics (gtk_widget_get_pango_context (label), NULL,
                                                         pango_language_from_string ("en"));
  int width = PANGO_PIXELS_CEIL (pango_font_metrics_get_approximate_char_width (metrics) * n_chars);

  pango_font_metrics_unref (metrics);
  return width;
}

/* The least width of the button's lines: room for BUTTON_MIN_NAME_CHARS of
 * the example's name, and the widest name of the open files (at most
 * BUTTON_MAX_FILE_CHARS): the same whatever the example is */
static int
lines_min_width (AttnExamplePicker *self)
{
  int widest = 0;

  for (guint i = 0; i < self->files->len; i++)
    {
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (self->file_label,
                                                                      g_ptr_array_index (self->files, i));
      int width;

      pango_layout_get_pixel_size (layout, &width, NULL);
      widest = MAX (widest, width);
    }
  return MAX (chars_width (self->name_label, BUTTON_MIN_NAME_CHARS),
              MIN (widest, chars_width (self->file_label, BUTTON_MAX_FILE_CHARS)));
}

/* The natural width or height of @widget, 0 when hidden */
static int
natural_size (GtkWidget      *widget,
              GtkOrientation  orientation,
              int             for_size)
{
  int natural = 0;

  if (gtk_widget_get_visible (widget))
    gtk_widget_measure (widget, orientation, for_size, NULL, &natural, NULL, NULL);
  return natural;
}

/* The button's content: the example's name over its file's, and the arrow.
 * A file's name on the line of the example's, before a dash, was cut first
 * ("pronoun… — author-her" at 900 px, "pro…" in Korean): which of the two
 * pronoun files was it? On a line of its own, in smaller type, the names
 * of the bundled files read whole. */
static void
button_content_measure (GtkWidget      *box,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  AttnExamplePicker *self = ATTN_EXAMPLE_PICKER (gtk_widget_get_ancestor (box, ATTN_TYPE_EXAMPLE_PICKER));
  GtkWidget *arrow = gtk_widget_get_last_child (box);
  int arrow_size = natural_size (arrow, orientation, -1);

  if (orientation == GTK_ORIENTATION_VERTICAL)
    {
      *minimum = *natural = MAX (arrow_size, natural_size (self->name_label, orientation, -1)
                                             + natural_size (self->file_label, orientation, -1));
      return;
    }
  *minimum = lines_min_width (self) + BUTTON_SPACING + arrow_size;
  *natural = MAX (*minimum, MAX (natural_size (self->name_label, orientation, -1),
                                 natural_size (self->file_label, orientation, -1))
                            + BUTTON_SPACING + arrow_size);
}

/* The lines as wide as the wider of them (at most what there is room for),
 * then the arrow, in the middle of the button */
static void
button_content_allocate (GtkWidget *box,
                         int        width,
                         int        height,
                         int        baseline)
{
  AttnExamplePicker *self = ATTN_EXAMPLE_PICKER (gtk_widget_get_ancestor (box, ATTN_TYPE_EXAMPLE_PICKER));
  GtkWidget *arrow = gtk_widget_get_last_child (box);
  gboolean rtl = gtk_widget_get_direction (box) == GTK_TEXT_DIR_RTL;
  int arrow_width = natural_size (arrow, GTK_ORIENTATION_HORIZONTAL, -1);
  int lines = MIN (MAX (0, width - BUTTON_SPACING - arrow_width),
                   MAX (natural_size (self->name_label, GTK_ORIENTATION_HORIZONTAL, -1),
                        natural_size (self->file_label, GTK_ORIENTATION_HORIZONTAL, -1)));
  int name_height = natural_size (self->name_label, GTK_ORIENTATION_VERTICAL, lines);
  int file_height = natural_size (self->file_label, GTK_ORIENTATION_VERTICAL, lines);
  int x = MAX (0, width - lines - BUTTON_SPACING - arrow_width) / 2;
  int y = MAX (0, height - name_height - file_height) / 2;
  int lines_x = rtl ? width - x - lines : x;

  if (gtk_widget_get_visible (self->name_label))
    gtk_widget_size_allocate (self->name_label, &(GtkAllocation) { lines_x, y, lines, name_height }, -1);
  if (gtk_widget_get_visible (self->file_label))
    gtk_widget_size_allocate (self->file_label, &(GtkAllocation) { lines_x, y + name_height, lines, file_height }, -1);
  gtk_widget_size_allocate (arrow, &(GtkAllocation) {
                              rtl ? x : x + lines + BUTTON_SPACING, 0, arrow_width, height }, -1);
}

static gboolean
filter_cb (gpointer item,
           gpointer user_data)
{
  AttnExamplePicker *self = user_data;

  return attn_example_item_matches (item, self->query);
}

static void
update_button (AttnExamplePicker *self)
{
  g_autoptr(AttnExampleItem) item = NULL;

  if (self->selected < g_list_model_get_n_items (G_LIST_MODEL (self->items)))
    item = g_list_model_get_item (G_LIST_MODEL (self->items), self->selected);
  /* the example's id as the figures show it (attn_text_from_file()); a
   * file's one example without a name: the file's name alone, on the first line */
  if (item != NULL && item->name != NULL)
    attn_label_set_user_text (GTK_LABEL (self->name_label), item->name);
  else
    gtk_label_set_text (GTK_LABEL (self->name_label), item != NULL ? item->file : "");
  gtk_label_set_text (GTK_LABEL (self->file_label), item != NULL && item->name != NULL ? item->file : "");
  gtk_widget_set_visible (self->file_label, item != NULL && item->name != NULL);
  /* the file's and the example's names whole (the button shortens them), and the text */
  if (item == NULL)
    gtk_widget_set_tooltip_text (self->button, _("Example"));
  else
    {
      g_autofree char *text = item->text != NULL ? attn_text_from_file (item->text) : NULL;
      g_autofree char *tooltip = text != NULL ? g_strdup_printf ("%s\n%s", item->title, text) : NULL;

      gtk_widget_set_tooltip_text (self->button, tooltip != NULL ? tooltip : item->title);
    }
}

/* The row of the selected example, among the matches, else the first one
 * its file's and example's names match, else the first */
static void
select_current_row (AttnExamplePicker *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->matches));
  guint current = GTK_INVALID_LIST_POSITION, named = GTK_INVALID_LIST_POSITION;
  gboolean current_named = FALSE;
  g_autoptr(AttnExampleItem) selected = g_list_model_get_item (G_LIST_MODEL (self->items), self->selected);

  /* the current example, unless the words are all in another's file and
   * example names but not in its own: "sara her" is sara-her, though
   * author-her's sentence names Sara too and came first */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AttnExampleItem) item = g_list_model_get_item (G_LIST_MODEL (self->matches), i);
      gboolean is_named = names_match (item, self->query);

      if (item == selected)
        {
          current = i;
          current_named = is_named;
        }
      if (is_named && named == GTK_INVALID_LIST_POSITION)
        named = i;
    }
  if (current == GTK_INVALID_LIST_POSITION || (!current_named && named != GTK_INVALID_LIST_POSITION))
    current = named;
  /* else the first, which Enter opens (search_activate_cb()): "goofball",
   * a word of a sentence alone, highlighted none */
  if (current == GTK_INVALID_LIST_POSITION && n > 0)
    current = 0;
  gtk_single_selection_set_selected (self->selection, current);
}

/* @query as the message of no match quotes it: on one line (a paste of the
 * heatmap's values, tabs and newlines, made the popover taller than the
 * screen), its white space runs as one space as the search reads them, and
 * its first %QUERY_MAX_CHARS characters then “…” */
static char *
quoted_query (const char *query)
{
  g_autoptr(GString) line = g_string_new (NULL);
  const char *end;

  for (const char *p = query; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isspace (c))
        g_string_append_unichar (line, c);
      else if (line->len > 0 && line->str[line->len - 1] != ' ')
        g_string_append_c (line, ' ');
    }
  if (line->len > 0 && line->str[line->len - 1] == ' ')
    g_string_truncate (line, line->len - 1);
  if (g_utf8_strlen (line->str, -1) <= QUERY_MAX_CHARS)
    return g_strdup (line->str);
  end = g_utf8_offset_to_pointer (line->str, QUERY_MAX_CHARS);
  while (end > line->str && end[-1] == ' ')
    end--;
  return g_strdup_printf ("%.*s…", (int) (end - line->str), line->str);
}

static void
update_empty (AttnExamplePicker *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->matches)) == 0;

  if (empty && self->query != NULL && *self->query != '\0')
    {
      g_autofree char *query = quoted_query (self->query);
      /* translators: shown when no example matches what was typed into the search */
      g_autofree char *text = g_strdup_printf (_("No example matches “%s”"), query);

      gtk_label_set_text (GTK_LABEL (self->empty_label), text);
    }
  gtk_widget_set_visible (self->empty_label, empty);
}

static void
choose (AttnExamplePicker *self,
        AttnExampleItem   *item)
{
  guint position;

  if (item == NULL || !g_list_store_find (self->items, item, &position))
    return;
  gtk_popover_popdown (GTK_POPOVER (self->popover));
  attn_example_picker_set_selected (self, position);
}

static void
search_changed_cb (GtkSearchEntry    *entry,
                   AttnExamplePicker *self)
{
  /* replacing the text empties it first, and an empty search is announced at once */
  if (self->setting_text)
    return;
  attn_example_picker_set_query (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

/* Enter in the search: the highlighted match, else the first, of what was
 * typed: Enter pressed within the entry's delay came before the search, and
 * took the row highlighted in the list before it (none, when that row was
 * past the matches: "cat mat" and Enter from author-her did nothing) */
static void
search_activate_cb (GtkSearchEntry    *entry,
                    AttnExamplePicker *self)
{
  g_autoptr(AttnExampleItem) item = NULL;
  guint row;

  attn_example_picker_set_query (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
  row = gtk_single_selection_get_selected (self->selection);
  if (row == GTK_INVALID_LIST_POSITION)
    row = 0;
  item = g_list_model_get_item (G_LIST_MODEL (self->matches), row);
  choose (self, item);
}

static void
stop_search_cb (GtkSearchEntry    *entry,
                AttnExamplePicker *self)
{
  gtk_popover_popdown (GTK_POPOVER (self->popover));
}

/* Down in the search moves into the list */
static gboolean
entry_key_pressed_cb (GtkEventControllerKey *controller,
                      guint                  keyval,
                      guint                  keycode,
                      GdkModifierType        state,
                      AttnExamplePicker     *self)
{
  if ((keyval == GDK_KEY_Down || keyval == GDK_KEY_KP_Down)
      && g_list_model_get_n_items (G_LIST_MODEL (self->matches)) > 0)
    return gtk_widget_child_focus (self->list_view, GTK_DIR_TAB_FORWARD);

  return FALSE;
}

static void
row_activated_cb (GtkListView       *list_view,
                  guint              row,
                  AttnExamplePicker *self)
{
  g_autoptr(AttnExampleItem) item = g_list_model_get_item (G_LIST_MODEL (self->matches), row);

  choose (self, item);
}

/* Space on a row chooses it, as Enter does (a list's Space would toggle the
 * row's selection, and the list would highlight no row) */
static gboolean
space_cb (GtkWidget *list_view,
          GVariant  *args,
          gpointer   user_data)
{
  GtkRoot *root = gtk_widget_get_root (list_view);
  GtkWidget *row = root != NULL ? gtk_root_get_focus (root) : NULL;

  while (row != NULL && gtk_widget_get_parent (row) != list_view)
    row = gtk_widget_get_parent (row);
  /* the row's activation is the list's "activate" for its position */
  return row != NULL && gtk_widget_activate (row);
}

/* The height of the list's rows at the list's width, its padding included:
 * GTK 4.8's list asks for their heights at their natural widths, where a
 * sentence takes a line that takes two in the list (the last match's
 * sentence was cut off mid-line). Rows not made yet count as it counts them. */
static int
list_height (GtkWidget *list_view)
{
  int width = gtk_widget_get_width (list_view);
  int height;

  gtk_widget_measure (list_view, GTK_ORIENTATION_VERTICAL, -1, NULL, &height, NULL, NULL);
  for (GtkWidget *row = gtk_widget_get_first_child (list_view); row != NULL && width > 0;
       row = gtk_widget_get_next_sibling (row))
    {
      int natural, at_width;

      gtk_widget_measure (row, GTK_ORIENTATION_VERTICAL, -1, NULL, &natural, NULL, NULL);
      gtk_widget_measure (row, GTK_ORIENTATION_VERTICAL, width, NULL, &at_width, NULL, NULL);
      height += at_width - natural;
    }
  return height;
}

/* The list as tall as its rows are at its width, up to LIST_MAX_HEIGHT */
static gboolean
fit_list_cb (gpointer data)
{
  AttnExamplePicker *self = data;
  GtkScrolledWindow *scrolled = GTK_SCROLLED_WINDOW (gtk_widget_get_parent (self->list_view));
  int height = MIN (list_height (self->list_view), LIST_MAX_HEIGHT);

  self->fit_id = 0;
  if (height != gtk_scrolled_window_get_min_content_height (scrolled))
    gtk_scrolled_window_set_min_content_height (scrolled, height);
  return G_SOURCE_REMOVE;
}

/* The list was laid out again, or its matches changed: fit it once this
 * layout is done */
static void
fit_list (AttnExamplePicker *self)
{
  if (self->fit_id == 0)
    self->fit_id = g_idle_add (fit_list_cb, self);
}

static void
popover_shown_cb (GtkPopover        *popover,
                  AttnExamplePicker *self)
{
  select_current_row (self);
  gtk_widget_grab_focus (self->entry);
  gtk_editable_select_region (GTK_EDITABLE (self->entry), 0, -1);
  if (gtk_single_selection_get_selected (self->selection) != GTK_INVALID_LIST_POSITION)
    gtk_widget_activate_action (self->list_view, "list.scroll-to-item", "u",
                                gtk_single_selection_get_selected (self->selection));
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *text = attn_sentence_label_new (2);

  gtk_label_set_xalign (GTK_LABEL (title), 0.);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_set_margin_top (box, 3);
  gtk_widget_set_margin_bottom (box, 3);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), text);
  gtk_list_item_set_child (list_item, box);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  AttnExampleItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *title = gtk_widget_get_first_child (box);
  GtkWidget *text = gtk_widget_get_next_sibling (title);

  gtk_label_set_text (GTK_LABEL (title), item->title);
  attn_label_set_user_text (GTK_LABEL (text), item->text);
  gtk_widget_set_visible (text, item->text != NULL && *item->text != '\0');
  gtk_widget_set_tooltip_text (box, gtk_widget_get_visible (text) ? gtk_label_get_text (GTK_LABEL (text)) : NULL);
}

static void
attn_example_picker_dispose (GObject *object)
{
  AttnExamplePicker *self = ATTN_EXAMPLE_PICKER (object);

  g_clear_handle_id (&self->fit_id, g_source_remove);
  g_clear_pointer (&self->button, gtk_widget_unparent);
  g_clear_object (&self->selection);
  g_clear_object (&self->matches);
  g_clear_object (&self->filter);
  g_clear_object (&self->items);

  G_OBJECT_CLASS (attn_example_picker_parent_class)->dispose (object);
}

static void
attn_example_picker_finalize (GObject *object)
{
  AttnExamplePicker *self = ATTN_EXAMPLE_PICKER (object);

  g_free (self->query);
  g_ptr_array_unref (self->files);

  G_OBJECT_CLASS (attn_example_picker_parent_class)->finalize (object);
}

static void
attn_example_picker_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  AttnExamplePicker *self = ATTN_EXAMPLE_PICKER (object);

  switch (prop_id)
    {
    case PROP_SELECTED:
      g_value_set_uint (value, self->selected);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
attn_example_picker_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  AttnExamplePicker *self = ATTN_EXAMPLE_PICKER (object);

  switch (prop_id)
    {
    case PROP_SELECTED:
      attn_example_picker_set_selected (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The picker's own style (attn-example-picker.css), once per display */
static void
attn_example_picker_root (GtkWidget *widget)
{
  GdkDisplay *display;

  GTK_WIDGET_CLASS (attn_example_picker_parent_class)->root (widget);
  display = gtk_widget_get_display (widget);
  if (g_object_get_data (G_OBJECT (display), "attn-example-picker-css") == NULL)
    {
      GtkCssProvider *provider = gtk_css_provider_new ();

      gtk_css_provider_load_from_resource (provider, "/io/github/attnflow/AttnFlow/ui/attn-example-picker.css");
      gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      g_object_set_data_full (G_OBJECT (display), "attn-example-picker-css", provider, g_object_unref);
    }
}

static void
attn_example_picker_class_init (AttnExamplePickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = attn_example_picker_dispose;
  object_class->finalize = attn_example_picker_finalize;
  object_class->get_property = attn_example_picker_get_property;
  object_class->set_property = attn_example_picker_set_property;

  /**
   * AttnExamplePicker:selected:
   *
   * The position of the chosen example among all the items, or
   * %GTK_INVALID_LIST_POSITION
   */
  properties[PROP_SELECTED] =
    g_param_spec_uint ("selected", NULL, NULL, 0, G_MAXUINT, GTK_INVALID_LIST_POSITION,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  widget_class->root = attn_example_picker_root;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "attnexamplepicker");
}

static void
attn_example_picker_init (AttnExamplePicker *self)
{
  GtkWidget *box, *scrolled, *arrow, *content;
  GtkListItemFactory *factory;
  GtkEventController *keys, *space;

  self->selected = GTK_INVALID_LIST_POSITION;
  self->items = g_list_store_new (ATTN_TYPE_EXAMPLE_ITEM);
  self->files = g_ptr_array_new_with_free_func (g_free);
  self->filter = gtk_custom_filter_new (filter_cb, self, NULL);
  self->matches = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->items)),
                                             GTK_FILTER (g_object_ref (self->filter)));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->matches)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, FALSE);

  /* the button: the chosen example's name over its file's, each cut in
   * the middle where the header bar is too narrow for it */
  self->button = gtk_menu_button_new ();
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_set_layout_manager (box, gtk_custom_layout_new (NULL, button_content_measure,
                                                             button_content_allocate));
  self->name_label = gtk_label_new (NULL);
  gtk_label_set_ellipsize (GTK_LABEL (self->name_label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (GTK_LABEL (self->name_label), BUTTON_MAX_CHARS);
  gtk_label_set_xalign (GTK_LABEL (self->name_label), 0.);
  /* cut in the middle too: "pronouns-minilm.json" and ".jsonl" differ at the end */
  self->file_label = gtk_label_new (NULL);
  gtk_label_set_ellipsize (GTK_LABEL (self->file_label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (GTK_LABEL (self->file_label), BUTTON_MAX_CHARS);
  gtk_label_set_xalign (GTK_LABEL (self->file_label), 0.);
  gtk_widget_add_css_class (self->file_label, "caption");
  gtk_widget_add_css_class (self->file_label, "dim-label");
  arrow = gtk_image_new_from_icon_name ("pan-down-symbolic");
  gtk_box_append (GTK_BOX (box), self->name_label);
  gtk_box_append (GTK_BOX (box), self->file_label);
  gtk_box_append (GTK_BOX (box), arrow);
  gtk_menu_button_set_child (GTK_MENU_BUTTON (self->button), box);
  gtk_widget_set_parent (self->button, GTK_WIDGET (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Example"), -1);

  /* the popover: a search above the list of matches */
  self->popover = gtk_popover_new ();
  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  self->entry = attn_example_search_entry_new ();
  g_signal_connect (self->entry, "search-changed", G_CALLBACK (search_changed_cb), self);
  g_signal_connect (self->entry, "activate", G_CALLBACK (search_activate_cb), self);
  g_signal_connect (self->entry, "stop-search", G_CALLBACK (stop_search_cb), self);
  keys = gtk_event_controller_key_new ();
  g_signal_connect (keys, "key-pressed", G_CALLBACK (entry_key_pressed_cb), self);
  gtk_widget_add_controller (self->entry, keys);
  gtk_box_append (GTK_BOX (content), self->entry);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  self->list_view = gtk_list_view_new (GTK_SELECTION_MODEL (g_object_ref (self->selection)), factory);
  gtk_list_view_set_single_click_activate (GTK_LIST_VIEW (self->list_view), TRUE);
  gtk_widget_add_css_class (self->list_view, "navigation-sidebar");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list_view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Examples"), -1);
  g_signal_connect (self->list_view, "activate", G_CALLBACK (row_activated_cb), self);
  space = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (space, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (space),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_space, 0),
                                                          gtk_callback_action_new (space_cb, NULL, NULL)));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (space),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_KP_Space, 0),
                                                          gtk_callback_action_new (space_cb, NULL, NULL)));
  gtk_widget_add_controller (self->list_view, space);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), LIST_MAX_HEIGHT);
  gtk_widget_set_size_request (scrolled, LIST_WIDTH, -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), self->list_view);
  g_signal_connect_swapped (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled)), "changed",
                            G_CALLBACK (fit_list), self);
  g_signal_connect_swapped (self->matches, "items-changed", G_CALLBACK (fit_list), self);
  gtk_box_append (GTK_BOX (content), scrolled);

  self->empty_label = gtk_label_new (NULL);
  attn_label_wrap_between_words (GTK_LABEL (self->empty_label));
  gtk_widget_add_css_class (self->empty_label, "dim-label");
  gtk_widget_set_margin_top (self->empty_label, 12);
  gtk_widget_set_margin_bottom (self->empty_label, 12);
  gtk_widget_set_visible (self->empty_label, FALSE);
  gtk_box_append (GTK_BOX (content), self->empty_label);

  gtk_popover_set_child (GTK_POPOVER (self->popover), content);
  g_signal_connect (self->popover, "show", G_CALLBACK (popover_shown_cb), self);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->button), self->popover);
  update_button (self);
}

GtkWidget *
attn_example_picker_new (void)
{
  return g_object_new (ATTN_TYPE_EXAMPLE_PICKER, NULL);
}

/**
 * attn_example_picker_set_documents:
 * @documents: (element-type AttnDocument): the open documents, in order
 *
 * Lists every example of @documents (titles recomputed: a new file of a name
 * already open tells both apart by folder). The selection keeps its position.
 */
void
attn_example_picker_set_documents (AttnExamplePicker *self,
                                   GPtrArray         *documents)
{
  g_autoptr(GListStore) items = NULL;
  g_autofree gpointer *array = NULL;
  guint n;

  g_return_if_fail (ATTN_IS_EXAMPLE_PICKER (self));
  g_return_if_fail (documents != NULL);

  items = attn_example_items_new (documents);
  n = g_list_model_get_n_items (G_LIST_MODEL (items));
  array = g_new (gpointer, MAX (n, 1));
  g_ptr_array_set_size (self->files, 0);
  for (guint i = 0; i < n; i++)
    {
      AttnExampleItem *item = g_list_model_get_item (G_LIST_MODEL (items), i);

      array[i] = item;
      if (self->files->len == 0 || !g_str_equal (g_ptr_array_index (self->files, self->files->len - 1), item->file))
        g_ptr_array_add (self->files, g_strdup (item->file));
    }
  /* the button's least width is the widest file's */
  gtk_widget_queue_resize (gtk_menu_button_get_child (GTK_MENU_BUTTON (self->button)));
  g_list_store_splice (self->items, 0, g_list_model_get_n_items (G_LIST_MODEL (self->items)),
                       array, n);
  for (guint i = 0; i < n; i++)
    g_object_unref (array[i]);
  if (self->selected != GTK_INVALID_LIST_POSITION && self->selected >= n)
    {
      self->selected = GTK_INVALID_LIST_POSITION;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
    }
  update_button (self);
  update_empty (self);
}

guint
attn_example_picker_get_n_items (AttnExamplePicker *self)
{
  g_return_val_if_fail (ATTN_IS_EXAMPLE_PICKER (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->items));
}

/**
 * attn_example_picker_get_item:
 *
 * Returns: (transfer none): the item at @position among all
 */
AttnExampleItem *
attn_example_picker_get_item (AttnExamplePicker *self,
                              guint              position)
{
  g_autoptr(AttnExampleItem) item = NULL;

  g_return_val_if_fail (ATTN_IS_EXAMPLE_PICKER (self), NULL);
  g_return_val_if_fail (position < g_list_model_get_n_items (G_LIST_MODEL (self->items)), NULL);

  /* the store keeps its own reference */
  item = g_list_model_get_item (G_LIST_MODEL (self->items), position);
  return item;
}

guint
attn_example_picker_get_selected (AttnExamplePicker *self)
{
  g_return_val_if_fail (ATTN_IS_EXAMPLE_PICKER (self), GTK_INVALID_LIST_POSITION);

  return self->selected;
}

void
attn_example_picker_set_selected (AttnExamplePicker *self,
                                  guint              position)
{
  g_return_if_fail (ATTN_IS_EXAMPLE_PICKER (self));

  if (position >= g_list_model_get_n_items (G_LIST_MODEL (self->items)))
    position = GTK_INVALID_LIST_POSITION;
  if (self->selected == position)
    return;
  self->selected = position;
  update_button (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

/**
 * attn_example_picker_popup:
 *
 * Opens the list with the search focused (the window's Ctrl+F).
 */
void
attn_example_picker_popup (AttnExamplePicker *self)
{
  g_return_if_fail (ATTN_IS_EXAMPLE_PICKER (self));

  gtk_menu_button_popup (GTK_MENU_BUTTON (self->button));
}

/**
 * attn_example_picker_set_query:
 * @query: (nullable): what to search for; %NULL or "" lists every example
 *
 * Filters the list as typing @query into the search does (at once, without
 * the search entry's delay).
 */
void
attn_example_picker_set_query (AttnExamplePicker *self,
                               const char        *query)
{
  g_return_if_fail (ATTN_IS_EXAMPLE_PICKER (self));

  if (!attn_set_string (&self->query, query))
    return;
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->entry)), query ? query : "") != 0)
    {
      self->setting_text = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->entry), query ? query : "");
      self->setting_text = FALSE;
    }
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  select_current_row (self);
  update_empty (self);
}

/**
 * attn_example_picker_get_matches:
 *
 * Returns: (transfer none): the items the list shows (those the search
 *   matches), a model of #AttnExampleItem
 */
GListModel *
attn_example_picker_get_matches (AttnExamplePicker *self)
{
  g_return_val_if_fail (ATTN_IS_EXAMPLE_PICKER (self), NULL);

  return G_LIST_MODEL (self->matches);
}

/**
 * attn_example_picker_choose_match:
 * @match: a row of attn_example_picker_get_matches()
 *
 * As clicking that row: it becomes the selected example.
 */
void
attn_example_picker_choose_match (AttnExamplePicker *self,
                                  guint              match)
{
  g_autoptr(AttnExampleItem) item = NULL;

  g_return_if_fail (ATTN_IS_EXAMPLE_PICKER (self));

  item = g_list_model_get_item (G_LIST_MODEL (self->matches), match);
  g_return_if_fail (item != NULL);
  choose (self, item);
}
