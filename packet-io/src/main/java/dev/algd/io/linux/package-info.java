/**
 * Linux system calls for packet I/O through the FFM API (libc only, no JNI, no native library of our own).
 * It depends on nothing but the JDK; only {@code dev.algd.io} uses it.
 * Setup calls capture errno and throw {@link dev.algd.io.linux.LinuxException}; hot-path calls never allocate.
 */
package dev.algd.io.linux;
