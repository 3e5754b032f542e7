/* attn-example-picker.h: choosing one example among those of every open file, by search
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "attn-core.h"

G_BEGIN_DECLS

/* One example as the pickers show it: "file — id" (the file's name told apart
 * from others of the same name by its folder), the example's text, and what a
 * search looks at. Immutable. */
#define ATTN_TYPE_EXAMPLE_ITEM (attn_example_item_get_type ())

G_DECLARE_FINAL_TYPE (AttnExampleItem, attn_example_item, ATTN, EXAMPLE_ITEM, GObject)

const char   *attn_example_item_get_title    (AttnExampleItem *self);
const char   *attn_example_item_get_text     (AttnExampleItem *self);
AttnDocument *attn_example_item_get_document (AttnExampleItem *self);
guint         attn_example_item_get_index    (AttnExampleItem *self);
gboolean      attn_example_item_matches      (AttnExampleItem *self,
                                              const char      *query);

GListStore   *attn_example_items_new         (GPtrArray       *documents);
guint         attn_example_items_find_match  (GListModel      *model,
                                              const char      *query);
GtkWidget    *attn_example_search_entry_new  (void);

#define ATTN_TYPE_EXAMPLE_PICKER (attn_example_picker_get_type ())

G_DECLARE_FINAL_TYPE (AttnExamplePicker, attn_example_picker, ATTN, EXAMPLE_PICKER, GtkWidget)

GtkWidget       *attn_example_picker_new          (void);
void             attn_example_picker_set_documents (AttnExamplePicker *self,
                                                    GPtrArray         *documents);
guint            attn_example_picker_get_n_items  (AttnExamplePicker *self);
AttnExampleItem *attn_example_picker_get_item     (AttnExamplePicker *self,
                                                   guint              position);
guint            attn_example_picker_get_selected (AttnExamplePicker *self);
void             attn_example_picker_set_selected (AttnExamplePicker *self,
                                                   guint              position);
void             attn_example_picker_popup        (AttnExamplePicker *self);
void             attn_example_picker_set_query    (AttnExamplePicker *self,
                                                   const char        *query);
GListModel      *attn_example_picker_get_matches  (AttnExamplePicker *self);
void             attn_example_picker_choose_match (AttnExamplePicker *self,
                                                   guint              match);

G_END_DECLS
