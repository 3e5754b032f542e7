/* attn-keyword.h: the words options take, in any case, and their numbers;
 * the values messages name
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean attn_keyword_is   (const char         *text,
                            const char         *keyword);
int      attn_keyword_find (const char         *text,
                            const char * const *keywords,
                            gssize              n_keywords);

gboolean    attn_parse_number  (const char *text,
                                guint      *value);
const char *attn_number_digits (const char *text);

const char *attn_message_value (char   *buffer,
                                double  value);

G_END_DECLS
