/**
 * Run tracking: {@link io.github.bert4j.core.tracking.RunTracker} records parameters, metrics, tags
 * and artifacts in MLflow's file-store layout ({@code mlflow ui} shows them), plus a CSV of all
 * metrics and PNG charts per metric family.
 */
package io.github.bert4j.core.tracking;
