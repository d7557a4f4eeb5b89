/**
 * Bounded I/O for network peers: streams with read deadlines, capped collectors, and per-connection
 * transcripts with credential redaction. Level 0: depends on nothing else in doublelock.
 */
package dev.doublelock.io;
