/* X.509 Time (RFC 5280 4.1.2.5): UTCTime through 2049, GeneralizedTime from 2050, both as
 * seconds since the epoch. Strict DER forms only: "YYMMDDHHMMSSZ" and "YYYYMMDDHHMMSSZ".
 * SPDX-License-Identifier: MIT */
#include <stdio.h>

#include "der.h"

#define SECS_PER_DAY 86400

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    int64_t era, yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* The inverse: a day count to year, month, day. */
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    int64_t era, doe, yoe, doy, mp;
    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int days_in_month(int64_t y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 ? 28 + leap : dm[m - 1];
}

/* n decimal digits at s, or -1. */
static int digits(const uint8_t *s, int n)
{
    int v = 0, i;
    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int der_get_time(const der_tlv *t, int64_t *out, const char *what, csr_err *e)
{
    const uint8_t *s = t->v;
    int64_t y;
    int m, d, hh, mm, ss, yl;

    if (t->tag == DER_UTCTIME && t->len == 13) {
        yl = 2;
    } else if (t->tag == DER_GENTIME && t->len == 15) {
        yl = 4;
    } else {
        return csr_err_at(e, CSR_E_BAD_DER, t->off, "%s: not a UTCTime or GeneralizedTime of "
                          "the form YYMMDDHHMMSSZ / YYYYMMDDHHMMSSZ", what);
    }
    y = digits(s, yl);
    m = digits(s + yl, 2);
    d = digits(s + yl + 2, 2);
    hh = digits(s + yl + 4, 2);
    mm = digits(s + yl + 6, 2);
    ss = digits(s + yl + 8, 2);
    if (yl == 2 && y >= 0)
        y += y < 50 ? 2000 : 1900;      /* RFC 5280: YY >= 50 is 19YY */
    if (y < 0 || m < 1 || m > 12 || d < 1 || hh < 0 || hh > 23 || mm < 0 || mm > 59 ||
        ss < 0 || ss > 59 || s[t->len - 1] != 'Z' || d > days_in_month(y, m))
        return csr_err_at(e, CSR_E_BAD_DER, t->off, "%s: invalid date or time", what);
    *out = days_from_civil(y, m, d) * SECS_PER_DAY + hh * 3600 + mm * 60 + ss;
    return CSR_OK;
}

/* Splits t into a civil date and the seconds of its day. */
static void split_time(int64_t t, int64_t *y, int *m, int *d, int64_t *secs)
{
    int64_t days = t >= 0 ? t / SECS_PER_DAY : -((-t + SECS_PER_DAY - 1) / SECS_PER_DAY);
    *secs = t - days * SECS_PER_DAY;
    civil_from_days(days, y, m, d);
}

void der_time_text(char out[40], int64_t t)
{
    static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
                                      "Sep", "Oct", "Nov", "Dec"};
    int64_t y, secs;
    int m, d;
    split_time(t, &y, &m, &d, &secs);
    snprintf(out, 40, "%s %2d %02d:%02d:%02d %04d GMT", mon[m - 1], d, (int)(secs / 3600),
             (int)(secs / 60 % 60), (int)(secs % 60), (int)y);
}

int der_put_time(csr_buf *b, int64_t t)
{
    int64_t y, secs;
    int m, d;
    char s[64];               /* room for what the compiler cannot rule out */

    if (t < DER_TIME_MIN || t > DER_TIME_MAX)
        return CSR_E_INVALID;
    split_time(t, &y, &m, &d, &secs);
    if (y >= 1950 && y <= 2049) {
        snprintf(s, sizeof s, "%02d%02d%02d%02d%02d%02dZ", (int)(y % 100), m, d,
                 (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
        der_put_tlv(b, DER_UTCTIME, s, 13);
    } else {
        snprintf(s, sizeof s, "%04d%02d%02d%02d%02d%02dZ", (int)y, m, d, (int)(secs / 3600),
                 (int)(secs / 60 % 60), (int)(secs % 60));
        der_put_tlv(b, DER_GENTIME, s, 15);
    }
    return CSR_OK;
}
