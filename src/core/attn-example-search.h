/* attn-example-search.h: finding an example among many, and telling files apart
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "attn-example.h"

G_BEGIN_DECLS

char     *attn_search_fold             (const char          *text);
char     *attn_example_get_search_text (AttnExample         *example);
gboolean  attn_search_matches          (const char          *search_text,
                                        const char          *query);
char    **attn_file_names_distinct     (const char * const  *paths);

G_END_DECLS
