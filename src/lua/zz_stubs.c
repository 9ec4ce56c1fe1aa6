/* TEMPORARY weak stubs so the module links while the pieces are written. Delete when done. */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "lcsr.h"
__attribute__((weak)) void lcsr_key_open(lua_State *L) { lua_newtable(L); }
__attribute__((weak)) void lcsr_subject_open(lua_State *L) { lua_newtable(L); }
__attribute__((weak)) void lcsr_request_open(lua_State *L) { lua_newtable(L); }
__attribute__((weak)) int lcsr_generate(lua_State *L) { return 0; }
