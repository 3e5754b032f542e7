/* attn-refcount.h: the ref and unref functions of attnflow's reference-counted types
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * ATTN_DEFINE_RC_BOX_REFS:
 * @TypeName: a type allocated with g_atomic_rc_box_new0()
 * @type_name: the prefix of its functions
 * @clear: `void clear (gpointer instance)`: frees what an instance holds
 *
 * Defines `TypeName *type_name_ref (TypeName *self)`, which returns @self with
 * one more reference, and `void type_name_unref (TypeName *self)`, which drops
 * one and clears and frees @self when it was the last; both thread-safe.
 */
#define ATTN_DEFINE_RC_BOX_REFS(TypeName, type_name, clear) \
  TypeName * \
  type_name##_ref (TypeName *self) \
  { \
    g_return_val_if_fail (self != NULL, NULL); \
    return g_atomic_rc_box_acquire (self); \
  } \
  void \
  type_name##_unref (TypeName *self) \
  { \
    g_return_if_fail (self != NULL); \
    g_atomic_rc_box_release_full (self, clear); \
  }

/*
 * ATTN_DEFINE_REFS:
 * @TypeName: a type with a `gatomicrefcount ref_count` member
 * @type_name: the prefix of its functions
 * @free_func: `void free_func (TypeName *self)`: frees an instance
 *
 * As ATTN_DEFINE_RC_BOX_REFS(), for a type that counts its own references.
 */
#define ATTN_DEFINE_REFS(TypeName, type_name, free_func) \
  TypeName * \
  type_name##_ref (TypeName *self) \
  { \
    g_return_val_if_fail (self != NULL, NULL); \
    g_atomic_ref_count_inc (&self->ref_count); \
    return self; \
  } \
  void \
  type_name##_unref (TypeName *self) \
  { \
    g_return_if_fail (self != NULL); \
    if (g_atomic_ref_count_dec (&self->ref_count)) \
      free_func (self); \
  }

G_END_DECLS
