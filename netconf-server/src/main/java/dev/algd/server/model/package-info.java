/**
 * algd's YANG schema at run time: the model context built from the generated bindings' module infos, and
 * the names of the nodes the daemon reads and writes. Depends on yangtools only; holds no state.
 */
package dev.algd.server.model;
