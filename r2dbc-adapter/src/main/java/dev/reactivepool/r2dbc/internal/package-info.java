/**
 * Implementation of the R2DBC adapter: the borrower's connection handle, the tracking of what a
 * borrower changed, validation, reset, option parsing and error mapping. Not a public API.
 */
package dev.reactivepool.r2dbc.internal;
