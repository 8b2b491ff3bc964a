import t from 'tap';
import { worstStatus } from '../harness/results.js';
t.equal(worstStatus(['pass', 'fail', 'error']), 'error');
