"""An empty stand-in for pygame, which Gymnasium's car_racing.py imports at module level and which Debian does not
package. Nothing in the reference tools draws (make_golden.py replaces CarRacing's renderer); any drawing call fails."""
