/* test-session-malloc.c: the session's rule for large blocks, in a process
 * of its own (the rule is the process's)
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "attn-render.h"

/* Once a session exists, a 2 MiB block has a mapping of its own (handed back
 * when freed) even after a freed 4 MiB one, which by glibc's own rule would
 * have it come from the arena and stay there (see attn-session-work.c) */
static void
test_large_blocks (void)
{
#if defined(__GLIBC__) && __GLIBC_PREREQ(2, 33)
  g_autoptr(AttnSession) session = attn_session_new ();
  gpointer block;
  struct mallinfo2 before, held, after;

  block = g_malloc (4 << 20);
  memset (block, 1, 4 << 20);
  g_free (block);

  before = mallinfo2 ();
  block = g_malloc (2 << 20);
  memset (block, 1, 2 << 20);
  held = mallinfo2 ();
  g_free (block);
  after = mallinfo2 ();

  g_assert_cmpuint (held.hblks, ==, before.hblks + 1);
  g_assert_cmpuint (held.hblkhd - before.hblkhd, >=, 2 << 20);
  g_assert_cmpuint (after.hblks, ==, before.hblks);
  g_assert_cmpuint (after.hblkhd, ==, before.hblkhd);
#else
  g_test_skip ("glibc's malloc only");
#endif
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/attn/render/session/large-blocks", test_large_blocks);

  return g_test_run ();
}
