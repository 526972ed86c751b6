/** Filled by its own issue; see DESIGN.md. */
package dev.kompact.agent;
