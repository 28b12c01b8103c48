/*
 * tfevents: TensorBoard event files (events.out.tfevents.*) read without
 * TensorFlow: the TFRecord framing with its masked CRC32C checks, and the
 * few protobuf messages that carry scalars and hyperparameters (Event,
 * Summary, Summary.Value, SummaryMetadata, TensorProto, the hparams
 * plugin's SessionStartInfo), decoded by a small wire-format reader.
 * Pure parsing: the caller gets each scalar and hparam through callbacks.
 */
#ifndef WB_TFEVENTS_H
#define WB_TFEVENTS_H

#include <stddef.h>
#include <stdint.h>

struct wb_err;

struct tfe_cb {
	/* A scalar: simple_value (TF1, PyTorch) or a scalar tensor of the
	 * scalars plugin (TF2, Keras), float or double.  wall_time is in
	 * seconds since the epoch.  Return WB_OK to go on. */
	int	(*scalar)(void *ctx, const char *tag, int64_t step,
		    double wall_time, double value, struct wb_err *err);
	/* A hyperparameter of the hparams plugin's session start. */
	int	(*hparam)(void *ctx, const char *key, const char *value,
		    struct wb_err *err);
	void	*ctx;
};

struct tfe_tags;	/* what each tag's first event said it is */

/*
 * Read the records of one event file held in buf[0..len).  name is used
 * in messages ("events.out...: record 7: bad data CRC").  A record cut
 * short at the end (the writer is still running) is not an error: *used
 * gets the length of the complete records, which are all read.  A bad
 * CRC or a record that is not an Event is an error naming the file and
 * the record number (1-based).  tags remembers, across the files of one
 * run, which tags are scalars (TF2 writes the plugin only on a tag's
 * first event); create it with tfe_tags_new, free with tfe_tags_free.
 */
int	 tfe_read(const unsigned char *buf, size_t len, const char *name,
	    struct tfe_tags *tags, const struct tfe_cb *cb, size_t *used,
	    struct wb_err *err);

struct tfe_tags	*tfe_tags_new(void);
void		 tfe_tags_free(struct tfe_tags *t);

/* CRC32C (Castagnoli) of buf, and TFRecord's masking of it. */
uint32_t tfe_crc32c(const void *buf, size_t len);
uint32_t tfe_mask(uint32_t crc);

/* 1 if a file's base name is an event file's (events.out.tfevents.*). */
int	 tfe_is_event_file(const char *base);

#endif
