/* attn-install.h: where the programs find their data and translations
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *attn_install_get_data_dir   (void);
char *attn_install_get_locale_dir (void);
char *attn_install_get_module_dir (void);
void  attn_install_init_i18n      (void);

G_END_DECLS
