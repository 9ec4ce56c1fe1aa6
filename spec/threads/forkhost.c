/* Fork test host: one lua_State loads the module and runs setup() (require "csr", generate a
 * key) in the parent, then fork()s N children; each child and the parent then run work() and
 * the line it returns is written to a shared pipe.  The parent prints every line
 * ("<pid> <line>"), then "<N> processes, <F> failed"; exit status 0 only when all succeeded.
 * Builds against Lua 5.1, 5.3, 5.4 and LuaJIT.
 *   forkhost <children> <package.cpath> <script.lua>
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

int main(int argc, char **argv)
{
    pid_t pids[MAX_CHILDREN];
    int fds[2], n, i, status, failed = 0, lines = 0;
    char line[LINE_MAX_LEN];
    lua_State *L;
    FILE *in;

    if (argc != 4) {
        fprintf(stderr, "usage: %s children cpath script.lua\n", argv[0]);
        return 2;
    }
    n = atoi(argv[1]);
    if (n < 1 || n > MAX_CHILDREN)
        return 2;
    L = luaL_newstate();
    if (L == NULL)
        return 2;
    luaL_openlibs(L);
    if (luaL_dofile(L, argv[3]) != 0) {
        fprintf(stderr, "script: %s\n", lua_tostring(L, -1));
        return 2;
    }
    if (!call(L, "setup", argv[2], line, sizeof line)) {   /* before fork: module + a key */
        fprintf(stderr, "setup: %s\n", line);
        return 2;
    }
    printf("setup %s\n", line);
    fflush(stdout);                        /* or the children would print it again */
    if (pipe(fds) != 0)
        return 2;
    for (i = 0; i < n; i++) {
        pids[i] = fork();
        if (pids[i] < 0) {
            perror("fork");
            return 2;
        }
        if (pids[i] == 0) {
            int ok;
            close(fds[0]);
            ok = call(L, "work", "child", line, sizeof line);
            report(fds[1], ok, line);
            _exit(ok ? 0 : 1);             /* no atexit, no lua_close in the child */
        }
    }
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
    for (i = 0; i < n; i++) {
        if (waitpid(pids[i], &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
            failed++;
    }
    lua_close(L);
    printf("%d processes, %d failed\n", lines, failed);
    return failed == 0 && lines == n + 1 ? 0 : 1;
}
