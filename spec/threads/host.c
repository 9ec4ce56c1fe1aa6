/* Thread test host: N pthreads, each with its own lua_State, each running the same Lua script
 * (spec/threads/work.lua) at the same time.  Builds against Lua 5.1, 5.3, 5.4 and LuaJIT.
 *   host <threads> <iterations> <package.cpath> <script.lua> [preload]
 * "preload": the main thread loads the module (require "csr" in its own lua_State) before
 * creating the threads, so the one-time wolfCrypt_Init happens-before every thread for tools
 * that do not model pthread_once (helgrind); without it the threads' first require races.
 * Each thread calls script(iterations, thread_id, cpath); the script returns a summary string
 * (printed as "thread <id>: <summary>") or raises (printed as "thread <id>: ERROR <msg>").
 * Exit status 0 only when every thread succeeded.
 * SPDX-License-Identifier: MIT */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#define MAX_THREADS 64

typedef struct {
    int id;
    int ok;
    char result[512];
} job;

static int iterations;
static const char *cpath;
static const char *script;
static pthread_barrier_t start;

static void *run(void *arg)
{
    job *j = (job *)arg;
    lua_State *L = luaL_newstate();
    const char *s;

    if (L == NULL) {
        snprintf(j->result, sizeof j->result, "ERROR luaL_newstate failed");
        pthread_barrier_wait(&start);
        return NULL;
    }
    luaL_openlibs(L);
    pthread_barrier_wait(&start);          /* every thread loads and works at once */
    if (luaL_loadfile(L, script) != 0) {
        snprintf(j->result, sizeof j->result, "ERROR %s", lua_tostring(L, -1));
        lua_close(L);
        return NULL;
    }
    lua_pushinteger(L, iterations);
    lua_pushinteger(L, j->id);
    lua_pushstring(L, cpath);
    if (lua_pcall(L, 3, 1, 0) != 0) {
        s = lua_tostring(L, -1);
        snprintf(j->result, sizeof j->result, "ERROR %s", s != NULL ? s : "(non-string error)");
    } else {
        s = lua_tostring(L, -1);
        snprintf(j->result, sizeof j->result, "%s", s != NULL ? s : "(no summary)");
        j->ok = 1;
    }
    lua_close(L);                          /* the script called csr.thread_cleanup() */
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t tid[MAX_THREADS];
    job jobs[MAX_THREADS];
    int n, i, failed = 0;
    lua_State *main_L = NULL;

    if (argc != 5 && !(argc == 6 && strcmp(argv[5], "preload") == 0)) {
        fprintf(stderr, "usage: %s threads iterations cpath script.lua [preload]\n", argv[0]);
        return 2;
    }
    n = atoi(argv[1]);
    iterations = atoi(argv[2]);
    cpath = argv[3];
    script = argv[4];
    if (n < 1 || n > MAX_THREADS || iterations < 1) {
        fprintf(stderr, "bad thread count or iterations\n");
        return 2;
    }
    if (argc == 6) {
        main_L = luaL_newstate();
        if (main_L == NULL)
            return 2;
        luaL_openlibs(main_L);
        lua_getglobal(main_L, "package");
        lua_pushstring(main_L, cpath);
        lua_setfield(main_L, -2, "cpath");
        lua_pop(main_L, 1);
        if (luaL_dostring(main_L, "require 'csr'") != 0) {
            fprintf(stderr, "preload: %s\n", lua_tostring(main_L, -1));
            return 2;
        }
    }
    pthread_barrier_init(&start, NULL, (unsigned)n);
    for (i = 0; i < n; i++) {
        jobs[i].id = i + 1;
        jobs[i].ok = 0;
        jobs[i].result[0] = '\0';
        if (pthread_create(&tid[i], NULL, run, &jobs[i]) != 0) {
            fprintf(stderr, "pthread_create failed\n");
            return 2;                      /* the barrier would never open */
        }
    }
    for (i = 0; i < n; i++) {
        pthread_join(tid[i], NULL);
        printf("thread %d: %s\n", jobs[i].id, jobs[i].result);
        if (!jobs[i].ok)
            failed++;
    }
    pthread_barrier_destroy(&start);
    if (main_L != NULL)
        lua_close(main_L);
    printf("%d of %d threads failed\n", failed, n);
    return failed == 0 ? 0 : 1;
}
