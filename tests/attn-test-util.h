/* attn-test-util.h: helpers the test programs share
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

JsonObject *attn_test_load_golden (JsonParser *parser,
                                   const char *name);
double      attn_test_golden      (JsonObject *golden,
                                   const char *method,
                                   guint       layer,
                                   guint       position,
                                   guint       token);

void  attn_test_remove_tree (const char *path);
char *attn_test_list_folder (const char *dir);
const char *attn_test_make_cause (const char *path,
                                  gboolean    folder);
char *attn_test_korean_locpath (void);
char *attn_test_make_folder (const char *name);
void  attn_test_drop_folder (char       *folder);

void attn_test_append_rows (GString *json,
                            GRand   *rand,
                            guint    n,
                            int      digits);

void attn_test_write_constant_reference (const char *source,
                                         const char *path,
                                         guint       index,
                                         const char *reference);

GString *attn_test_npy_new_float32 (guint layers,
                                    guint heads,
                                    guint n);
char    *attn_test_write_long_export (const char *folder,
                                      guint       n);

/* A finished run of attnflow-cli (its path in $ATTNFLOW_CLI). */
typedef struct
{
  int    status;
  char  *out;
  char  *err;
} AttnTestRun;

void attn_test_run_clear  (AttnTestRun *run);
void attn_test_run_cli    (AttnTestRun *run,
                           const char  *first,
                           ...) G_GNUC_NULL_TERMINATED;
void attn_test_run_cli_v  (AttnTestRun        *run,
                           const char * const *args);
void attn_test_run_cli_as_user_v (AttnTestRun        *run,
                                  const char * const *args);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AttnTestRun, attn_test_run_clear)

/* The layers of every node's values (attn_method_every_node(),
 * attn_flow_layers()), from layer @next on, into @values. */
typedef struct
{
  guint   n;
  guint   next;
  double *values;   /* L * n * n */
} AttnTestCollected;

/* A PDF's dictionaries read whether or not its writer compressed them */
GByteArray *attn_test_pdf_text    (const char *contents,
                                   gsize       len);
char       *attn_test_pdf_string  (GByteArray *text,
                                   const char *key);
gboolean    attn_test_pdf_numbers (GByteArray *text,
                                   const char *key,
                                   double     *values,
                                   guint       n);

void attn_test_collect_layer_cb (guint         layer,
                                 const double *values,
                                 gpointer      user_data);

G_END_DECLS
