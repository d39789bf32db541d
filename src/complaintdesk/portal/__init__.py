"""The public portal: customers file a complaint, follow it with a one-time code, add information or
files, answer a proposed solution and download their letters (acceptance letter, result notice)."""
