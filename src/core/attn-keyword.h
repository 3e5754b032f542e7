/* attn-keyword.h: the words options take, in any case
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

G_END_DECLS
