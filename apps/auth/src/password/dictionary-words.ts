/**
 * Words that make a password weak when they are all that is left after digits and symbols are
 * stripped (AUTH-2: "a dictionary word alone"). A small list on purpose: the words people build
 * passwords from, not a full dictionary; the common-password list covers the rest. Lower case.
 */
// prettier-ignore
export const DICTIONARY_WORDS: ReadonlySet<string> = new Set([
  // password-making words
  'password', 'passwords', 'passwort', 'passphrase', 'welcome', 'letmein', 'admin', 'administrator', 'root',
  'login', 'logon', 'signin', 'secret', 'secure', 'security', 'private', 'access', 'master', 'changeme',
  'default', 'guest', 'user', 'username', 'account', 'system', 'server', 'network', 'internet', 'computer',
  'database', 'company', 'office', 'business', 'manager', 'service', 'support', 'portal', 'customer',
  'customers', 'contract', 'sample', 'example', 'test', 'testing', 'demo', 'qwerty', 'qwertyuiop', 'asdfgh',
  'asdfghjkl', 'zxcvbn', 'zxcvbnm', 'qazwsx', 'qwertz', 'azerty', 'abcdef', 'abcdefg', 'abcdefgh',
  'abcdefghijkl', 'abc',
  // common English words
  'about', 'above', 'after', 'again', 'airplane', 'almost', 'always', 'america', 'angel', 'animal', 'answer',
  'apple', 'april', 'august', 'autumn', 'baby', 'balloon', 'banana', 'baseball', 'basketball', 'beautiful',
  'because', 'before', 'believe', 'between', 'birthday', 'black', 'blessed', 'blue', 'brother', 'butterfly',
  'change', 'chicken', 'children', 'chocolate', 'christmas', 'computer', 'cookie', 'country', 'dance',
  'daughter', 'december', 'diamond', 'dolphin', 'dragon', 'dream', 'dreams', 'eagle', 'earth', 'elephant',
  'energy', 'england', 'evening', 'everything', 'family', 'father', 'february', 'flower', 'flowers',
  'football', 'forest', 'forever', 'freedom', 'friday', 'friend', 'friends', 'future', 'garden', 'golden',
  'good', 'green', 'guitar', 'happiness', 'happy', 'heart', 'heaven', 'hello', 'history', 'hockey',
  'holiday', 'house', 'hunter', 'iloveyou', 'island', 'january', 'jesus', 'july', 'june', 'killer', 'kitten',
  'knowledge', 'letter', 'liberty', 'light', 'lovely', 'loveme', 'lover', 'love', 'magic', 'march', 'market',
  'marriage', 'memory', 'michael', 'midnight', 'million', 'mirror', 'monday', 'money', 'monkey', 'monster',
  'morning', 'mother', 'mountain', 'music', 'mystery', 'nature', 'nothing', 'november', 'number', 'ocean',
  'october', 'orange', 'paradise', 'passion', 'people', 'pepper', 'phoenix', 'picture', 'pirate', 'planet',
  'please', 'pokemon', 'power', 'pretty', 'princess', 'purple', 'question', 'rabbit', 'rainbow', 'river',
  'rocket', 'saturday', 'school', 'september', 'shadow', 'silver', 'simple', 'sister', 'smile', 'soccer',
  'something', 'spider', 'spring', 'starwars', 'station', 'stranger', 'street', 'student', 'success',
  'summer', 'sunday', 'sunflower', 'sunshine', 'superman', 'batman', 'sweet', 'teacher', 'thunder',
  'thursday', 'tiger', 'together', 'tomorrow', 'treasure', 'trouble', 'trust', 'trustno', 'tuesday',
  'turtle', 'universe', 'victory', 'village', 'warrior', 'water', 'wednesday', 'weekend', 'whatever',
  'winner', 'winter', 'wizard', 'wonderful', 'world', 'yellow', 'yesterday', 'youngster', 'zombie',
  // Japanese words in Latin script, for the portal's users
  'sakura', 'tokyo', 'osaka', 'kyoto', 'nagoya', 'yokohama', 'nippon', 'nihon', 'japan', 'fujisan',
  'arigato', 'arigatou', 'konnichiwa', 'sayonara', 'ohayou', 'himitsu', 'anshin', 'mamori', 'kawaii',
  'daisuki', 'aishiteru', 'doraemon', 'pikachu', 'totoro', 'gundam', 'ninja', 'samurai', 'sushi', 'ramen',
  'tanaka', 'suzuki', 'takahashi', 'watanabe', 'yamamoto', 'nakamura', 'kobayashi', 'yamada', 'hanako',
  'docomo',
]);
