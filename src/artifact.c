/*
 * artifact: the bytes of the artifact store (see artifact.h): blob
 * names, the crash-safe write (temporary file, fsync, rename, fsync of
 * the folder), folder manifests, and the checked reads that serve
 * artifacts back.  The rows are db_artifact.c's.
 */
#include "config.h"

#include "artifact.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db.h"
#include "db_artifact.h"
#include "err.h"
#include "mem.h"
#include "progress.h"
#include "sha256.h"
#include "strbuf.h"

#define ROOT_KEY	"artifact_root"
#define BUF_SIZE	(256 * 1024)

static int
oom(struct wb_err *err)
{
	return wb_err_set(err, WB_ENOMEM, "out of memory");
}

static int
is_hex64(const char *s)
{
	size_t	i;

	for (i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' &&
		    s[i] <= 'f')))
			return 0;
	return s[64] == '\0';
}

/* mkdir -p of path (which it changes and restores). */
static int
mkdirs(char *path, struct wb_err *err)
{
	char	*p;

	for (p = path + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) != 0 && errno != EEXIST) {
			*p = '/';
			return wb_err_set(err, WB_EIO, "%s: %s", path,
			    strerror(errno));
		}
		*p = '/';
	}
	if (mkdir(path, 0755) != 0 && errno != EEXIST)
		return wb_err_set(err, WB_EIO, "%s: %s", path, strerror(errno));
	return WB_OK;
}

/* The root -------------------------------------------------------------- */

int
art_root(struct db *db, char **root, struct wb_err *err)
{
	struct strbuf	 sb = STRBUF_INIT;
	const char	*path = db_path(db);
	char		*dir;
	int		 rc;

	*root = NULL;
	if ((rc = db_setting_get(db, ROOT_KEY, root, err)) != WB_OK ||
	    *root != NULL)
		return rc;
	if (db_is_remote(db))
		return wb_err_set(err, WB_EINVAL, "%s has no artifact root: on"
		    " PostgreSQL set one that every box can reach (a network"
		    " mount) with 'mlwb config artifact-root PATH'",
		    db_label(db));
	if (strcmp(path, ":memory:") == 0 || *path == '\0')
		return wb_err_set(err, WB_EINVAL, "an in-memory workspace has"
		    " no artifact root: set one with 'mlwb config"
		    " artifact-root PATH'");
	/* The workspace's files folder FILE.files, beside the file. */
	if ((dir = realpath(path, NULL)) != NULL) {
		strbuf_addf(&sb, "%s.files", dir);
		free(dir);	/* realpath's: the C library's allocator */
	} else if (*path == '/')
		strbuf_addf(&sb, "%s.files", path);
	else {
		char	cwd[PATH_MAX];

		if (getcwd(cwd, sizeof cwd) == NULL)
			return wb_err_set(err, WB_EIO, "getcwd: %s",
			    strerror(errno));
		strbuf_addf(&sb, "%s/%s.files", cwd, path);
	}
	if (sb.oom)
		return oom(err);
	*root = strbuf_detach(&sb);
	return *root ? WB_OK : oom(err);
}

int
art_root_set(struct db *db, const char *path, struct wb_err *err)
{
	char	*copy, *abs;
	int	 rc;

	if (*path == '\0')
		return wb_err_set(err, WB_EINVAL, "artifact root: empty path");
	if ((copy = wb_strdup(path)) == NULL)
		return oom(err);
	rc = mkdirs(copy, err);
	wb_free(copy);
	if (rc != WB_OK)
		return rc;
	if ((abs = realpath(path, NULL)) == NULL)
		return wb_err_set(err, WB_EIO, "%s: %s", path, strerror(errno));
	rc = db_setting_set(db, ROOT_KEY, abs, err);
	free(abs);	/* realpath's */
	return rc;
}

/* Blobs ----------------------------------------------------------------- */

static int
blob_path(struct strbuf *sb, const char *root, const char *hex)
{
	strbuf_reset(sb);
	strbuf_addf(sb, "%s/blobs/%.2s/%s", root, hex, hex + 2);
	return sb->oom ? WB_ENOMEM : WB_OK;
}

/* A blob being written: ROOT/tmp/put-XXXXXX, hashed as it goes. */
struct put {
	struct strbuf	 tmp;
	struct sha256	 c;
	int		 fd;
	int64_t		 size;
};

static int
put_open(struct put *p, const char *root, struct wb_err *err)
{
	memset(p, 0, sizeof *p);
	p->fd = -1;
	strbuf_addf(&p->tmp, "%s/tmp", root);
	if (p->tmp.oom)
		return oom(err);
	if (mkdirs(p->tmp.s, err) != WB_OK) {
		strbuf_free(&p->tmp);
		return WB_EIO;
	}
	strbuf_adds(&p->tmp, "/put-XXXXXX");
	if (p->tmp.oom) {
		strbuf_free(&p->tmp);
		return oom(err);
	}
	if ((p->fd = mkstemp(p->tmp.s)) == -1) {
		int	rc = wb_err_set(err, WB_EIO, "%s: %s", p->tmp.s,
		    strerror(errno));

		strbuf_free(&p->tmp);
		return rc;
	}
	sha256_init(&p->c);
	return WB_OK;
}

static int
put_write(struct put *p, const void *buf, size_t len, struct wb_err *err)
{
	const char	*b = buf;
	ssize_t		 n;

	sha256_update(&p->c, buf, len);
	p->size += (int64_t)len;
	while (len > 0) {
		if ((n = write(p->fd, b, len)) == -1) {
			if (errno == EINTR)
				continue;
			return wb_err_set(err, WB_EIO, "%s: %s", p->tmp.s,
			    strerror(errno));
		}
		b += n;
		len -= (size_t)n;
	}
	return WB_OK;
}

static void
put_abort(struct put *p)
{
	if (p->fd != -1) {
		close(p->fd);
		unlink(p->tmp.s);
	}
	sha256_free(&p->c);
	strbuf_free(&p->tmp);
	p->fd = -1;
}

/* Whether the file at path hashes to hex (0 also when it is unreadable). */
static int
file_matches(const char *path, const char *hex)
{
	char	got[65];

	return sha256_file(path, got, NULL, NULL) == WB_OK &&
	    strcmp(got, hex) == 0;
}

/* fsync a folder, so that a rename in it survives a crash. */
static void
sync_dir(const char *dir)
{
	int	fd;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		(void)fsync(fd);
		close(fd);
	}
}

/*
 * Put the written blob in place as hex: fsync, then rename it to its name
 * unless a good blob of that name is already there (the same bytes are
 * kept once; a damaged one is replaced).  Ends p either way.
 */
static int
put_place(struct put *p, const char *root, const char *hex,
    struct wb_err *err)
{
	struct strbuf	 dst = STRBUF_INIT;
	char		*slash;
	int		 rc = WB_OK;

	if (fsync(p->fd) != 0) {
		rc = wb_err_set(err, WB_EIO, "%s: %s", p->tmp.s,
		    strerror(errno));
		goto out;
	}
	if (blob_path(&dst, root, hex) != WB_OK) {
		rc = oom(err);
		goto out;
	}
	if (file_matches(dst.s, hex))
		goto out;	/* kept once: the temporary goes */
	slash = strrchr(dst.s, '/');
	*slash = '\0';
	if ((rc = mkdirs(dst.s, err)) != WB_OK)
		goto out;
	*slash = '/';
	if (fchmod(p->fd, 0444) != 0 || rename(p->tmp.s, dst.s) != 0) {
		rc = wb_err_set(err, WB_EIO, "%s: %s", dst.s, strerror(errno));
		goto out;
	}
	close(p->fd);
	p->fd = -1;
	*slash = '\0';
	sync_dir(dst.s);
out:
	put_abort(p);
	strbuf_free(&dst);
	return rc;
}

/* Finish a blob written with put_write; hex gets its name. */
static int
put_finish(struct put *p, const char *root, char hex[65],
    struct wb_err *err)
{
	if (sha256_hex(&p->c, hex) != WB_OK) {
		put_abort(p);
		return wb_err_set(err, WB_ENOMEM, "cannot hash (libcrypto"
		    " failed)");
	}
	return put_place(p, root, hex, err);
}

/* Bytes stored so far of an art_store, for its progress hook. */
struct stored {
	const struct wb_progress *hook;
	uint64_t		 done, total;
};

/* Copy the file at path into a blob; hex gets its name. */
static int
put_file(const char *root, const char *path, char hex[65], int64_t *size,
    struct stored *pg, struct wb_err *err)
{
	struct put	 p;
	char		*buf;
	ssize_t		 n;
	int		 fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return wb_err_set(err, WB_EIO, "%s: %s", path, strerror(errno));
	if ((buf = wb_malloc(BUF_SIZE)) == NULL) {
		close(fd);
		return oom(err);
	}
	if ((rc = put_open(&p, root, err)) != WB_OK) {
		wb_free(buf);
		close(fd);
		return rc;
	}
	while ((n = read(fd, buf, BUF_SIZE)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			rc = wb_err_set(err, WB_EIO, "%s: %s", path,
			    strerror(errno));
			break;
		}
		if ((rc = put_write(&p, buf, (size_t)n, err)) != WB_OK)
			break;
		if (pg != NULL) {
			pg->done += (uint64_t)n;
			wb_progress_report(pg->hook, pg->done, pg->total,
			    "bytes");
		}
	}
	wb_free(buf);
	close(fd);
	if (rc != WB_OK) {
		put_abort(&p);
		return rc;
	}
	*size = p.size;
	return put_finish(&p, root, hex, err);
}

static int
put_mem(const char *root, const void *data, size_t len, char hex[65],
    struct wb_err *err)
{
	struct put	p;
	int		rc;

	if ((rc = put_open(&p, root, err)) != WB_OK)
		return rc;
	if ((rc = put_write(&p, data, len, err)) != WB_OK) {
		put_abort(&p);
		return rc;
	}
	return put_finish(&p, root, hex, err);
}

/*
 * Stream the blob hex to fd (-1: only check), hashing; WB_EIO naming the
 * blob and label when it is missing or its bytes do not match its name.
 */
static int
blob_out(const char *root, const char *hex, int fd, const char *label,
    struct wb_err *err)
{
	struct strbuf	 path = STRBUF_INIT;
	struct sha256	 c;
	char		*buf = NULL, got[65];
	ssize_t		 n, w;
	size_t		 off;
	int		 in = -1, rc = WB_OK;

	if (!is_hex64(hex))
		return wb_err_set(err, WB_EINVAL, "%s: '%s' is not a sha256",
		    label, hex);
	if (blob_path(&path, root, hex) != WB_OK ||
	    (buf = wb_malloc(BUF_SIZE)) == NULL) {
		strbuf_free(&path);
		return oom(err);
	}
	if ((in = open(path.s, O_RDONLY | O_CLOEXEC)) == -1) {
		rc = wb_err_set(err, WB_EIO, "%s: blob %s: %s (is the artifact"
		    " root %s the one it was logged under?)", label, path.s,
		    strerror(errno), root);
		goto out;
	}
	sha256_init(&c);
	while ((n = read(in, buf, BUF_SIZE)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			rc = wb_err_set(err, WB_EIO, "%s: %s", path.s,
			    strerror(errno));
			break;
		}
		sha256_update(&c, buf, (size_t)n);
		for (off = 0; fd != -1 && off < (size_t)n; off += (size_t)w)
			if ((w = write(fd, buf + off, (size_t)n - off)) ==
			    -1) {
				if (errno == EINTR) {
					w = 0;
					continue;
				}
				rc = wb_err_set(err, WB_EIO, "%s: %s", label,
				    strerror(errno));
				break;
			}
		if (rc != WB_OK)
			break;
	}
	if (rc != WB_OK) {
		sha256_free(&c);
		goto out;
	}
	if (sha256_hex(&c, got) != WB_OK)
		rc = wb_err_set(err, WB_ENOMEM, "cannot hash (libcrypto"
		    " failed)");
	else if (strcmp(got, hex) != 0)
		rc = wb_err_set(err, WB_EIO, "%s: blob %s does not match its"
		    " sha256 (the stored bytes were changed or damaged); not"
		    " served", label, path.s);
out:
	if (in != -1)
		close(in);
	wb_free(buf);
	strbuf_free(&path);
	return rc;
}

int
art_read(const char *root, const char *hex, size_t max, char **out,
    size_t *outlen, const char *label, struct wb_err *err)
{
	struct strbuf	 path = STRBUF_INIT;
	struct sha256	 c;
	struct stat	 sb;
	char		*buf, got[65];
	size_t		 len = 0;
	ssize_t		 n;
	int		 fd, rc = WB_OK;

	*out = NULL;
	*outlen = 0;
	if (!is_hex64(hex))
		return wb_err_set(err, WB_EINVAL, "%s: '%s' is not a sha256",
		    label, hex);
	if (blob_path(&path, root, hex) != WB_OK)
		return oom(err);
	if ((fd = open(path.s, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &sb) != 0) {
		rc = wb_err_set(err, WB_EIO, "%s: blob %s: %s", label, path.s,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		strbuf_free(&path);
		return rc;
	}
	if ((uint64_t)sb.st_size > max) {
		close(fd);
		strbuf_free(&path);
		return wb_err_set(err, WB_EINVAL, "%s: too large to show"
		    " (%lld bytes)", label, (long long)sb.st_size);
	}
	if ((buf = wb_malloc((size_t)sb.st_size + 1)) == NULL) {
		close(fd);
		strbuf_free(&path);
		return oom(err);
	}
	while (len < (size_t)sb.st_size && (n = read(fd, buf + len,
	    (size_t)sb.st_size - len)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			rc = wb_err_set(err, WB_EIO, "%s: %s", path.s,
			    strerror(errno));
			break;
		}
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	if (rc == WB_OK) {
		sha256_init(&c);
		sha256_update(&c, buf, len);
		if (sha256_hex(&c, got) != WB_OK)
			rc = oom(err);
		else if (strcmp(got, hex) != 0)
			rc = wb_err_set(err, WB_EIO, "%s: blob %s does not"
			    " match its sha256 (the stored bytes were changed"
			    " or damaged); not served", label, path.s);
	}
	strbuf_free(&path);
	if (rc != WB_OK) {
		wb_free(buf);
		return rc;
	}
	*out = buf;
	*outlen = len;
	return WB_OK;
}

/* Folders --------------------------------------------------------------- */

struct paths {
	char	**v;
	size_t	  n;
};

static void
paths_free(struct paths *p)
{
	size_t	i;

	for (i = 0; i < p->n; i++)
		wb_free(p->v[i]);
	wb_free(p->v);
}

/* Regular files under root/rel, as paths relative to root. */
static int
walk(const char *root, const char *rel, struct paths *out, int depth,
    struct wb_err *err)
{
	struct strbuf	 full = STRBUF_INIT, sub = STRBUF_INIT;
	struct dirent	*de;
	struct stat	 sb;
	char		**nv;
	DIR		*d;
	int		 rc = WB_OK;

	if (depth > 64)
		return wb_err_set(err, WB_EIO, "%s/%s: too deep", root, rel);
	strbuf_addf(&full, "%s%s%s", root, *rel ? "/" : "", rel);
	if (full.oom)
		return oom(err);
	if ((d = opendir(full.s)) == NULL) {
		rc = wb_err_set(err, WB_EIO, "%s: %s", full.s, strerror(errno));
		strbuf_free(&full);
		return rc;
	}
	while (rc == WB_OK && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		strbuf_reset(&sub);
		strbuf_addf(&sub, "%s%s%s", rel, *rel ? "/" : "", de->d_name);
		strbuf_reset(&full);
		strbuf_addf(&full, "%s/%s", root, sub.s);
		if (sub.oom || full.oom) {
			rc = oom(err);
			break;
		}
		/* The manifest is one line per file. */
		if (strchr(de->d_name, '\n') != NULL) {
			rc = wb_err_set(err, WB_EINVAL, "%s: a file name with"
			    " a newline cannot be stored", full.s);
			break;
		}
		if (lstat(full.s, &sb) == -1) {
			rc = wb_err_set(err, WB_EIO, "%s: %s", full.s,
			    strerror(errno));
			break;
		}
		/* Like find -type f: symlinks and devices are not content. */
		if (S_ISDIR(sb.st_mode))
			rc = walk(root, sub.s, out, depth + 1, err);
		else if (S_ISREG(sb.st_mode)) {
			if ((nv = wb_reallocarray(out->v, out->n + 1,
			    sizeof *nv)) == NULL) {
				rc = oom(err);
				break;
			}
			out->v = nv;
			if ((out->v[out->n] = strbuf_detach(&sub)) == NULL) {
				rc = oom(err);
				break;
			}
			out->n++;
		}
	}
	closedir(d);
	strbuf_free(&full);
	strbuf_free(&sub);
	return rc;
}

static int
strp_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The manifest of the folder at path: "SHA256  PATH\n" per file, sorted
 * by path.  root NULL: only hashed; else each file is stored there too.
 */
static int
manifest(const char *root, const char *path, struct strbuf *man,
    int64_t *size, int64_t *nfiles, struct stored *pg, struct wb_err *err)
{
	struct paths	 files = { NULL, 0 };
	struct strbuf	 full = STRBUF_INIT;
	char		 fhex[65];
	int64_t		 fsize;
	size_t		 i;
	int		 rc;

	*size = 0;
	if ((rc = walk(path, "", &files, 0, err)) != WB_OK) {
		paths_free(&files);
		return rc;
	}
	if (files.n > 1)
		qsort(files.v, files.n, sizeof *files.v, strp_cmp);
	/* The folder's size first, so that the line shows a share. */
	for (i = 0; pg != NULL && pg->hook != NULL && i < files.n; i++) {
		struct stat	sb;

		strbuf_reset(&full);
		strbuf_addf(&full, "%s/%s", path, files.v[i]);
		if (!full.oom && stat(full.s, &sb) == 0)
			pg->total += (uint64_t)sb.st_size;
	}
	if (pg != NULL)
		wb_progress_report(pg->hook, pg->done, pg->total, "bytes");
	for (i = 0; i < files.n; i++) {
		strbuf_reset(&full);
		strbuf_addf(&full, "%s/%s", path, files.v[i]);
		if (full.oom) {
			rc = oom(err);
			break;
		}
		rc = root != NULL ? put_file(root, full.s, fhex, &fsize, pg,
		    err) :
		    sha256_file(full.s, fhex, &fsize, err);
		if (rc != WB_OK)
			break;
		*size += fsize;
		strbuf_addf(man, "%s  %s\n", fhex, files.v[i]);
	}
	*nfiles = (int64_t)files.n;
	strbuf_free(&full);
	paths_free(&files);
	if (rc == WB_OK && man->oom)
		rc = oom(err);
	return rc;
}

int
art_hash_path(const char *path, char hex[65], struct wb_err *err)
{
	struct strbuf	 man = STRBUF_INIT;
	struct sha256	 c;
	struct stat	 sb;
	int64_t		 size, n;
	int		 rc;

	if (stat(path, &sb) == -1)
		return wb_err_set(err, WB_EIO, "%s: %s", path, strerror(errno));
	if (!S_ISDIR(sb.st_mode))
		return sha256_file(path, hex, NULL, err);
	if ((rc = manifest(NULL, path, &man, &size, &n, NULL, err)) ==
	    WB_OK) {
		sha256_init(&c);
		sha256_update(&c, man.s ? man.s : "", man.len);
		if (sha256_hex(&c, hex) != WB_OK)
			rc = wb_err_set(err, WB_ENOMEM, "%s: cannot hash"
			    " (libcrypto failed)", path);
	}
	strbuf_free(&man);
	return rc;
}

int
art_store(const char *root, const char *path, struct artifact *a,
    const struct wb_progress *progress, struct wb_err *err)
{
	struct strbuf	 man = STRBUF_INIT;
	struct stored	 pg = { progress, 0, 0 };
	struct stat	 sb;
	int		 rc;

	if (stat(path, &sb) == -1)
		return wb_err_set(err, WB_EIO, "%s: %s", path, strerror(errno));
	if (S_ISREG(sb.st_mode)) {
		snprintf(a->kind, sizeof a->kind, "file");
		a->n_files = 1;
		pg.total = (uint64_t)sb.st_size;
		wb_progress_report(progress, 0, pg.total, "bytes");
		return put_file(root, path, a->sha256, &a->size, &pg, err);
	}
	if (!S_ISDIR(sb.st_mode))
		return wb_err_set(err, WB_EINVAL, "%s: not a file or a folder",
		    path);
	snprintf(a->kind, sizeof a->kind, "dir");
	if ((rc = manifest(root, path, &man, &a->size, &a->n_files, &pg,
	    err)) == WB_OK)
		rc = put_mem(root, man.s ? man.s : "", man.len, a->sha256,
		    err);
	strbuf_free(&man);
	return rc;
}

int
art_name_ok(const char *name)
{
	const unsigned char	*p;

	if (*name == '\0' || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0)
		return 0;
	for (p = (const unsigned char *)name; *p; p++)
		if (*p == '/' || *p < 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

char *
art_name_of(const char *path)
{
	const char	*end = path + strlen(path), *start;

	/* The last part of path, trailing slashes aside. */
	while (end > path + 1 && end[-1] == '/')
		end--;
	for (start = end; start > path && start[-1] != '/'; start--)
		;
	if (start == end)	/* "/" */
		return wb_strdup(path);
	return wb_strndup(start, (size_t)(end - start));
}

int
art_log(struct db *db, int64_t run_id, const char *path, const char *name,
    struct wb_err *err)
{
	struct artifact	 a;
	char		*root = NULL;
	int		 rc;

	memset(&a, 0, sizeof a);
	if ((a.name = name ? wb_strdup(name) : art_name_of(path)) == NULL)
		return oom(err);
	if (!art_name_ok(a.name)) {
		rc = wb_err_set(err, WB_EINVAL, "%s: artifact name '%s': give"
		    " one without '/' or control characters", path, a.name);
		goto out;
	}
	if ((rc = art_root(db, &root, err)) != WB_OK ||
	    (rc = art_store(root, path, &a, NULL, err)) != WB_OK)
		goto out;
	a.created_at = db_now_ms();
	rc = db_artifact_put(db, run_id, &a, err);
out:
	artifact_clear(&a);
	wb_free(root);
	return rc;
}

/* Checked reads of a folder ---------------------------------------------- */

/* Whether a manifest path is safe to write under a folder. */
static int
rel_ok(const char *rel)
{
	const char	*p = rel, *e;

	if (*rel == '/' || *rel == '\0')
		return 0;
	while (*p) {
		e = strchr(p, '/');
		if (e == NULL)
			e = p + strlen(p);
		if (e == p || (e - p == 1 && p[0] == '.') ||
		    (e - p == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		p = *e ? e + 1 : e;
	}
	return 1;
}

/* The manifest's lines: calls fn(hex, rel, arg) for each. */
typedef int	man_fn(const char *hex, const char *rel, void *arg,
		    struct wb_err *err);

static int
manifest_each(const char *root, const char *hex, const char *label,
    man_fn *fn, void *arg, struct wb_err *err)
{
	char	*m, *line, *nl;
	size_t	 len;
	int	 rc;

	if ((rc = art_read(root, hex, (size_t)1 << 30, &m, &len, label,
	    err)) != WB_OK)
		return rc;
	for (line = m; rc == WB_OK && *line != '\0'; line = nl + 1) {
		if ((nl = strchr(line, '\n')) != NULL)
			*nl = '\0';
		if (nl == NULL || strlen(line) < 67 || line[64] != ' ' ||
		    line[65] != ' ' || !rel_ok(line + 66)) {
			rc = wb_err_set(err, WB_EPARSE, "%s: manifest %s: bad"
			    " line '%.80s'", label, hex, line);
			break;
		}
		line[64] = '\0';
		rc = fn(line, line + 66, arg, err);
	}
	wb_free(m);
	return rc;
}

struct each_ctx {
	const char	*root, *label, *dest, *to;
	struct strbuf	 who;
};

static const char *
who(struct each_ctx *x, const char *rel)
{
	strbuf_reset(&x->who);
	strbuf_addf(&x->who, "%s: file %s", x->label, rel);
	return x->who.oom ? x->label : x->who.s;
}

static int
verify_one(const char *hex, const char *rel, void *arg, struct wb_err *err)
{
	struct each_ctx	*x = arg;

	return blob_out(x->root, hex, -1, who(x, rel), err);
}

int
art_verify(const char *root, const char *kind, const char *hex,
    const char *label, struct wb_err *err)
{
	struct each_ctx	x;
	int		rc;

	if (strcmp(kind, "dir") != 0)
		return blob_out(root, hex, -1, label, err);
	memset(&x, 0, sizeof x);
	x.root = root;
	x.label = label;
	rc = manifest_each(root, hex, label, verify_one, &x, err);
	strbuf_free(&x.who);
	return rc;
}

/* Write blob hex to the file dest through dest.tmp-XXXXXX and a rename. */
static int
fetch_file(const char *root, const char *hex, const char *dest,
    const char *label, struct wb_err *err)
{
	struct strbuf	 tmp = STRBUF_INIT;
	int		 fd, rc;

	strbuf_addf(&tmp, "%s.tmp-XXXXXX", dest);
	if (tmp.oom)
		return oom(err);
	if ((fd = mkstemp(tmp.s)) == -1) {
		rc = wb_err_set(err, WB_EIO, "%s: %s", dest, strerror(errno));
		strbuf_free(&tmp);
		return rc;
	}
	rc = blob_out(root, hex, fd, label, err);
	if (rc == WB_OK && (fchmod(fd, 0644) != 0 || fsync(fd) != 0))
		rc = wb_err_set(err, WB_EIO, "%s: %s", dest, strerror(errno));
	close(fd);
	if (rc == WB_OK && rename(tmp.s, dest) != 0)
		rc = wb_err_set(err, WB_EIO, "%s: %s", dest, strerror(errno));
	if (rc != WB_OK)
		unlink(tmp.s);
	strbuf_free(&tmp);
	return rc;
}

static int
fetch_one(const char *hex, const char *rel, void *arg, struct wb_err *err)
{
	struct each_ctx	*x = arg;
	struct strbuf	 path = STRBUF_INIT;
	char		*slash;
	int		 rc;

	strbuf_addf(&path, "%s/%s", x->dest, rel);
	if (path.oom)
		return oom(err);
	slash = strrchr(path.s, '/');
	*slash = '\0';
	rc = mkdirs(path.s, err);
	*slash = '/';
	if (rc == WB_OK)
		rc = fetch_file(x->root, hex, path.s, who(x, rel), err);
	strbuf_free(&path);
	return rc;
}

int
art_fetch(const char *root, const char *kind, const char *hex,
    const char *dest, const char *label, struct wb_err *err)
{
	struct each_ctx	 x;
	char		*copy, *slash;
	int		 rc;

	if ((copy = wb_strdup(dest)) == NULL)
		return oom(err);
	if (strcmp(kind, "dir") != 0) {
		/* The folder it goes into, as `mlflow artifacts download`. */
		rc = WB_OK;
		if ((slash = strrchr(copy, '/')) != NULL && slash != copy) {
			*slash = '\0';
			rc = mkdirs(copy, err);
		}
		wb_free(copy);
		return rc != WB_OK ? rc : fetch_file(root, hex, dest, label,
		    err);
	}
	wb_free(copy);
	/* Every blob first, so a damaged one leaves no half folder. */
	if ((rc = art_verify(root, kind, hex, label, err)) != WB_OK)
		return rc;
	if ((copy = wb_strdup(dest)) == NULL)
		return oom(err);
	rc = mkdirs(copy, err);
	wb_free(copy);
	if (rc != WB_OK)
		return rc;
	memset(&x, 0, sizeof x);
	x.root = root;
	x.label = label;
	x.dest = dest;
	rc = manifest_each(root, hex, label, fetch_one, &x, err);
	strbuf_free(&x.who);
	return rc;
}

/*
 * Copy one blob from x->root to x->to unless x->to has it; blob_out
 * checks the bytes against hex as it writes them.  rel: the file of a
 * folder it is, or NULL.
 */
static int
copy_one(const char *hex, const char *rel, void *arg, struct wb_err *err)
{
	struct each_ctx	*x = arg;
	struct strbuf	 dst = STRBUF_INIT;
	struct put	 p;
	int		 rc, have;

	if (blob_path(&dst, x->to, hex) != WB_OK)
		return oom(err);
	have = file_matches(dst.s, hex);
	strbuf_free(&dst);
	if (have)
		return WB_OK;
	if ((rc = put_open(&p, x->to, err)) != WB_OK)
		return rc;
	if ((rc = blob_out(x->root, hex, p.fd, rel ? who(x, rel) : x->label,
	    err)) != WB_OK) {
		put_abort(&p);
		return rc;
	}
	return put_place(&p, x->to, hex, err);
}

int
art_copy(const char *from, const char *to, const char *kind,
    const char *hex, const char *label, struct wb_err *err)
{
	struct each_ctx	 x;
	char		*a, *b;
	int		 same, rc;

	a = realpath(from, NULL);
	b = realpath(to, NULL);
	same = a != NULL && b != NULL && strcmp(a, b) == 0;
	free(a);	/* realpath's */
	free(b);
	if (same)
		return WB_OK;
	memset(&x, 0, sizeof x);
	x.root = from;
	x.to = to;
	x.label = label;
	/* The file's blob, or the folder's manifest, then its files. */
	if ((rc = copy_one(hex, NULL, &x, err)) == WB_OK &&
	    strcmp(kind, "dir") == 0)
		rc = manifest_each(to, hex, hex, copy_one, &x, err);
	strbuf_free(&x.who);
	return rc;
}

int
art_local(const char *root, const char *kind, const char *hex, char **path,
    const char *label, struct wb_err *err)
{
	struct strbuf	 sb = STRBUF_INIT;
	int		 rc;

	*path = NULL;
	if (!is_hex64(hex))
		return wb_err_set(err, WB_EINVAL, "%s: '%s' is not a sha256",
		    label, hex);
	if (strcmp(kind, "dir") == 0) {
		strbuf_addf(&sb, "%s/trees/%s", root, hex);
		rc = sb.oom ? oom(err) : art_fetch(root, kind, hex, sb.s,
		    label, err);
	} else {
		rc = blob_path(&sb, root, hex) != WB_OK ? oom(err) :
		    blob_out(root, hex, -1, label, err);
	}
	if (rc == WB_OK)
		*path = strbuf_detach(&sb);
	strbuf_free(&sb);
	return rc == WB_OK && *path == NULL ? oom(err) : rc;
}
