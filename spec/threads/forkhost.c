/* Fork test host: one lua_State loads the module (load_module()), fork()s E "early" children
 * before the module's first use of randomness, then runs setup() (generate and use a key) and
 * fork()s L "late" children. Every child runs work(), then fork()s one grandchild that runs work()
 * too, and waits for it. The parent runs work() last. Each work() line goes to a shared pipe;
 * the parent prints every line ("<pid> <line>"), then "<N> processes, <F> failed"; exit
 * status 0 only when all E + L children, their grandchildren and the parent succeeded.
 * Builds against Lua 5.1, 5.3, 5.4 and LuaJIT.
 *   forkhost <early> <late> <package.cpath> <script.lua>
 * SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#define MAX_CHILDREN 64
#define LINE_MAX_LEN 4000                  /* < PIPE_BUF: each write() is atomic */

/* Calls global fname(arg); on success copies its string result into out. */
static int call(lua_State *L, const char *fname, const char *arg, char *out, size_t outsz)
{
    const char *s;

    lua_getglobal(L, fname);
    lua_pushstring(L, arg);
    if (lua_pcall(L, 1, 1, 0) != 0) {
        s = lua_tostring(L, -1);
        snprintf(out, outsz, "ERROR %s", s != NULL ? s : "(non-string error)");
        lua_pop(L, 1);
        return 0;
    }
    s = lua_tostring(L, -1);
    snprintf(out, outsz, "%s", s != NULL ? s : "");
    lua_pop(L, 1);
    return 1;
}

/* One line "<pid> <ok|ERROR ...>\n" into fd */
static void report(int fd, int ok, const char *line)
{
    char buf[LINE_MAX_LEN + 64];
    int len = snprintf(buf, sizeof buf, "%ld %s%s\n", (long)getpid(), ok ? "" : "FAIL ", line);
    ssize_t w;

    if (len < 0)
        return;
    if ((size_t)len >= sizeof buf)
        len = (int)sizeof buf - 1;
    do
        w = write(fd, buf, (size_t)len);
    while (w < 0 && errno == EINTR);
}

/* In a new child: work(tag), then a grandchild doing work("grand-" tag); never returns. */
static void child(lua_State *L, int fd, const char *tag)
{
    char line[LINE_MAX_LEN], gtag[64];
    int ok, status;
    pid_t g;

    ok = call(L, "work", tag, line, sizeof line);
    report(fd, ok, line);
    snprintf(gtag, sizeof gtag, "grand-%s", tag);
    g = fork();
    if (g == 0) {
        ok = call(L, "work", gtag, line, sizeof line);
        report(fd, ok, line);
        _exit(ok ? 0 : 1);
    }
    if (g < 0 || waitpid(g, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        ok = 0;
    _exit(ok ? 0 : 1);                     /* no atexit, no lua_close in the child */
}

/* fork() n children (tag "early" or "late") into pids[*np...] */
static int spawn(lua_State *L, int fds[2], int n, const char *tag, pid_t *pids, int *np)
{
    int i;
    for (i = 0; i < n; i++) {
        pid_t p = fork();
        if (p < 0) {
            perror("fork");
            return 0;
        }
        if (p == 0) {
            close(fds[0]);
            child(L, fds[1], tag);
        }
        pids[(*np)++] = p;
    }
    return 1;
}

int main(int argc, char **argv)
{
    pid_t pids[2 * MAX_CHILDREN];
    int fds[2], early, late, np = 0, i, status, failed = 0, lines = 0;
    char line[LINE_MAX_LEN];
    lua_State *L;
    FILE *in;

    if (argc != 5) {
        fprintf(stderr, "usage: %s early late cpath script.lua\n", argv[0]);
        return 2;
    }
    early = atoi(argv[1]);
    late = atoi(argv[2]);
    if (early < 0 || early > MAX_CHILDREN || late < 0 || late > MAX_CHILDREN)
        return 2;
    L = luaL_newstate();
    if (L == NULL)
        return 2;
    luaL_openlibs(L);
    if (luaL_dofile(L, argv[4]) != 0) {
        fprintf(stderr, "script: %s\n", lua_tostring(L, -1));
        return 2;
    }
    if (!call(L, "load_module", argv[3], line, sizeof line)) {   /* no randomness used yet */
        fprintf(stderr, "load: %s\n", line);
        return 2;
    }
    fflush(stdout);                        /* or the children would print it again */
    if (pipe(fds) != 0)
        return 2;
    if (!spawn(L, fds, early, "early", pids, &np))
        return 2;
    if (!call(L, "setup", argv[3], line, sizeof line)) {   /* first use: a key, signed with */
        fprintf(stderr, "setup: %s\n", line);
        return 2;
    }
    printf("setup %s\n", line);
    fflush(stdout);
    if (!spawn(L, fds, late, "late", pids, &np))
        return 2;
    close(fds[1]);
    if (!call(L, "work", "parent", line, sizeof line))
        failed++;
    printf("%ld %s%s\n", (long)getpid(), strncmp(line, "ERROR", 5) == 0 ? "FAIL " : "", line);
    lines++;
    in = fdopen(fds[0], "r");
    if (in == NULL)
        return 2;
    while (fgets(line, sizeof line, in) != NULL) {
        fputs(line, stdout);
        lines++;
    }
    fclose(in);
    for (i = 0; i < np; i++) {
        if (waitpid(pids[i], &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
            failed++;
    }
    lua_close(L);
    printf("%d processes, %d failed\n", lines, failed);
    return failed == 0 && lines == 2 * np + 1 ? 0 : 1;
}
