/**
 * Configuration files and their validation. Each reader turns one documented file into a feature's
 * options record; errors name the file, the key and how to fix it. Level 4: nothing imports it except
 * the CLI.
 */
package dev.doublelock.config;
